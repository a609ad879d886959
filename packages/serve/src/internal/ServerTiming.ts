/**
 * `Server-Timing` on the web app's answers: how long the server worked on a request (`app`) and on
 * the named steps a route times (`step`), so the browser's resource timings (and `bench/web.mjs`)
 * tell the server's part of a slow page from the network's and the page's own. It times; it does
 * not log.
 */
import type { Context, MiddlewareHandler } from "hono"

type Steps = Array<{ readonly name: string; readonly ms: number }>

const KEY = "serverTiming"

const steps = (c: Context): Steps | undefined => c.get(KEY as never) as Steps | undefined

/** Runs `f` and notes how long it took as step `name` of the request. */
export const step = async <A>(c: Context, name: string, f: () => Promise<A>): Promise<A> => {
  const t0 = performance.now()
  try {
    return await f()
  } finally {
    steps(c)?.push({ name, ms: performance.now() - t0 })
  }
}

const entry = (name: string, ms: number) => `${name};dur=${ms.toFixed(1)}`

/** The middleware: every answer after it carries the header (a stream's says when it began). */
export const middleware: MiddlewareHandler = async (c, next) => {
  const t0 = performance.now()
  const noted: Steps = []
  c.set(KEY as never, noted as never)
  await next()
  c.header("Server-Timing", [...noted.map((s) => entry(s.name, s.ms)), entry("app", performance.now() - t0)].join(", "))
}

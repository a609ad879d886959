/**
 * The web app's JSON API under `/api` and its page and files, as Hono routes: the thread list and
 * its filters, search, a thread's worked turns a page at a time, replay after any line, a replay
 * re-executed against its recording, the stats dashboard, the diff of two threads, and the live feed (server-sent events). Threads are named by
 * id only and found through the index, so no request reaches a file outside the home. Access,
 * Host and CSP checks are `HttpServer`'s, in front of every route here.
 */
import { Hono } from "hono"
import { streamSSE } from "hono/streaming"
import * as LiveFeed from "./internal/LiveFeed.js"
import * as LongText from "./internal/LongText.js"
import * as ServerTiming from "./internal/ServerTiming.js"
import * as WebDiff from "./internal/WebDiff.js"
import * as Sources from "./internal/Sources.js"
import * as WebError from "./internal/WebError.js"
import * as WebPage from "./internal/WebPage.js"
import * as WebReplay from "./internal/WebReplay.js"
import * as WebStats from "./internal/WebStats.js"
import * as WebThreads from "./internal/WebThreads.js"
import * as WebTranscript from "./internal/WebTranscript.js"
import * as WebVerify from "./internal/WebVerify.js"

export interface Options extends Sources.Options {
  readonly report?: (text: string) => void
  /** How often the live feed looks at the home without a watch event (default 1000 ms). */
  readonly pollMs?: number
}

export interface Web {
  readonly routes: Hono
  readonly close: () => void
}

/** The Content-Security-Policy of the page and its files. */
export const CSP = WebPage.CSP

const int = (v: string | undefined, fallback: number): number => {
  if (v === undefined || v === "") return fallback
  if (!/^\d{1,9}$/.test(v)) throw new WebError.BadRequest(`not a number: ${v}`)
  return Number(v)
}

export const make = (options: Options): Web => {
  const report = options.report ?? (() => {})
  const source = Sources.of(options)
  const ctx = { source, report }
  const transcripts = WebTranscript.make(ctx)
  const replay = WebReplay.make(ctx)
  const verify = WebVerify.make(ctx)
  const stats = WebStats.make(source)
  const live = LiveFeed.make({ ...ctx, ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }) })
  const hono = new Hono()
  hono.use("*", ServerTiming.middleware)

  hono.onError((e, c) => {
    if (WebError.is(e)) return c.json({ error: e.message }, WebError.status(e))
    report(`rollout serve: ${c.req.path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    return c.json({ error: "internal error (see the server's log)" }, 500)
  })

  hono.get("/", (c) => {
    c.header("Content-Security-Policy", CSP)
    return c.html(WebPage.shell())
  })
  hono.get("/assets/:name", (c) => {
    const file = WebPage.files[c.req.param("name")]
    if (file === undefined) return c.text("not found\n", 404)
    c.header("Content-Security-Policy", CSP)
    c.header("ETag", file.etag)
    c.header("Cache-Control", "no-cache")
    if (c.req.header("if-none-match") === file.etag) return c.body(null, 304)
    return c.body(file.body, 200, { "Content-Type": file.type })
  })

  hono.get("/api/threads", async (c) => c.json(await ServerTiming.step(c, "list", () => WebThreads.list(source, c.req.query()))))
  hono.get("/api/facets", async (c) => c.json(await ServerTiming.step(c, "facets", () => source.facets())))
  hono.get("/api/search", async (c) => c.json(await WebThreads.search(source, c.req.query())))
  hono.get("/api/threads/:id/turns", async (c) => c.json(await transcripts.page(c.req.param("id"), int(c.req.query("from"), 0), int(c.req.query("limit"), 20))))
  hono.get("/api/threads/:id/turns/:n/text", async (c) => {
    const n = int(c.req.param("n"), 0)
    const text = await transcripts.text(c.req.param("id"), n, int(c.req.query("part"), 0), c.req.query("path") ?? "")
    const download = c.req.query("download") === "1"
    return c.body(LongText.stream(text), 200, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text, "utf8")),
      "X-Content-Type-Options": "nosniff",
      ...(download ? { "Content-Disposition": `attachment; filename="turn-${n}-part-${int(c.req.query("part"), 0)}.txt"` } : {})
    })
  })
  hono.get("/api/threads/:id/replay", async (c) => {
    const line = c.req.query("line")
    return c.json(await replay(c.req.param("id"), line === undefined || line === "" ? null : int(line, 0)))
  })
  hono.get("/api/threads/:id/verify", async (c) => c.json(await verify(c.req.param("id"))))
  hono.get("/api/stats", async (c) => c.json(await stats()))
  hono.get("/api/diff", async (c) => c.json(await WebDiff.diff(transcripts, c.req.query("a") ?? "", c.req.query("b"))))
  hono.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      const queue: Array<string> = []
      let wake: (() => void) | undefined
      const off = live.subscribe((change) => {
        queue.push(JSON.stringify(change))
        wake?.()
      })
      stream.onAbort(() => {
        off()
        wake?.()
      })
      // "ready" once the feed has looked at the home: a change from then on is told.
      await live.ready()
      await stream.writeSSE({ event: "ready", data: "{}" })
      while (!stream.aborted && !stream.closed) {
        const data = queue.shift()
        if (data !== undefined) {
          await stream.writeSSE({ event: "change", data })
          continue
        }
        // Wake for a change, or after a while to send a comment that keeps proxies from closing.
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 25_000)
          wake = () => (clearTimeout(t), resolve())
        })
        wake = undefined
        if (queue.length === 0 && !stream.aborted) await stream.write(": keep-alive\n\n")
      }
      off()
    })
  )
  return {
    routes: hono,
    close: () => {
      live.close()
      transcripts.close()
    }
  }
}

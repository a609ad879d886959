/**
 * The API client: `GET /api/...` as JSON, with the access token the page was opened with (when
 * the server listens beyond loopback it is in the page's `?token=`), and errors as thrown text.
 */
import * as Visible from "./Visible.js"

const token = new URLSearchParams(location.search).get("token")

/** `path` with the page's token added, for `fetch` and `EventSource`. */
export const url = (path: string, params: Record<string, string | number | boolean | null | undefined> = {}): string => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v))
  if (token !== null) q.set("token", token)
  const s = q.toString()
  return s === "" ? path : `${path}?${s}`
}

export const json = async <A>(path: string, params: Record<string, string | number | boolean | null | undefined> = {}, signal?: AbortSignal): Promise<A> => {
  const r = await fetch(url(path, params), signal === undefined ? {} : { signal })
  // A good answer's body must parse (an abort while it is read rejects here, as it should); a
  // failed one says why in `{"error"}` when it can.
  // Every string through `Visible`: text from a rollout may carry escapes and bidi overrides.
  if (r.ok) return JSON.parse(await r.text(), Visible.reviver) as A
  throw await failure(r)
}

/** A failed answer as an error: its `{"error"}` when the body has one, else the status. */
const failure = async (r: Response): Promise<Error> => {
  const body = (await r.json().catch(() => ({}))) as { error?: string }
  return new Error(body.error ?? `${r.status} ${r.statusText}`)
}

/** A URL the server gave (it may have a query already) with the page's token added. */
export const withToken = (u: string): string => (token === null ? u : `${u}${u.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`)

/** `GET url` as text (a URL from `withToken`); errors as thrown text. */
export const text = async (u: string): Promise<string> => {
  const r = await fetch(u)
  if (r.ok) return r.text()
  throw await failure(r)
}

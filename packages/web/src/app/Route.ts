/**
 * The app's places as a hash route, so every view has a link, Back works and a reload keeps the
 * place: `#/` threads, `#/search?q=`, `#/t/ID` (`?turn=N`), `#/replay/ID?line=N`, `#/verify/ID`
 * (a replay against its recording), `#/stats`, `#/diff/A/B`. Ids are checked as UUIDs before a view asks the server anything.
 */

export type Route =
  | { readonly _tag: "Threads"; readonly query: URLSearchParams }
  | { readonly _tag: "Search"; readonly q: string }
  | { readonly _tag: "Thread"; readonly id: string; readonly turn: number | null }
  | { readonly _tag: "Replay"; readonly id: string; readonly line: number | null }
  | { readonly _tag: "Verify"; readonly id: string }
  | { readonly _tag: "Stats" }
  | { readonly _tag: "Diff"; readonly a: string; readonly b: string | null }
  /** A link to no place: a mistyped path, or a thread link whose id is no thread id. */
  | { readonly _tag: "NotFound"; readonly path: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isId = (s: string | undefined): s is string => s !== undefined && UUID.test(s)

const int = (s: string | null): number | null => (s !== null && /^\d{1,9}$/.test(s) ? Number(s) : null)

export const parse = (hash: string): Route => {
  const raw = hash.replace(/^#/, "")
  const [path = "", search = ""] = raw.split("?", 2)
  const query = new URLSearchParams(search)
  const parts = path.split("/").filter((p) => p !== "")
  const [head, first, second] = parts
  if (head === "search") return { _tag: "Search", q: query.get("q") ?? "" }
  if (head === "t" && isId(first)) return { _tag: "Thread", id: first, turn: int(query.get("turn")) }
  if (head === "replay" && isId(first)) return { _tag: "Replay", id: first, line: int(query.get("line")) }
  if (head === "verify" && isId(first)) return { _tag: "Verify", id: first }
  if (head === "stats") return { _tag: "Stats" }
  if (head === "diff" && isId(first)) return { _tag: "Diff", a: first, b: isId(second) ? second : null }
  if (head === undefined) return { _tag: "Threads", query }
  return { _tag: "NotFound", path }
}

export const href = {
  threads: (query?: URLSearchParams): string => (query === undefined || query.toString() === "" ? "#/" : `#/?${query}`),
  search: (q: string): string => `#/search?${new URLSearchParams({ q })}`,
  thread: (id: string, turn?: number | null): string => (turn === undefined || turn === null ? `#/t/${id}` : `#/t/${id}?turn=${turn}`),
  replay: (id: string, line?: number): string => (line === undefined ? `#/replay/${id}` : `#/replay/${id}?line=${line}`),
  verify: (id: string): string => `#/verify/${id}`,
  stats: (): string => "#/stats",
  diff: (a: string, b?: string | null): string => (b === undefined || b === null ? `#/diff/${a}` : `#/diff/${a}/${b}`)
}

export const go = (to: string): void => {
  if (location.hash !== to) location.hash = to
}

/** Replaces the current place without a history entry (a slider's position, a filter). */
export const replace = (to: string): void => {
  history.replaceState(null, "", to)
}

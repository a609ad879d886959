/**
 * Long strings of a turn cut for the web page: every string of a turn's items and work entries
 * longer than a limit is sent as its head, and the turn says which (the part, the path to the
 * field, the whole length) so the page can fetch the whole text on demand (`at`). A tool's output
 * of a whole log, a pasted file or an inline image can be tens of megabytes; sent and drawn whole,
 * one such turn froze the page. Only the web API cuts: the app-server answers stay whole. Pure.
 */
import * as ByteSize from "@rollout/view/ByteSize"
import type * as WorkedTurns from "@rollout/view/WorkedTurns"
import type * as Api from "@rollout/web/Api"

/** Strings longer than this (UTF-16 code units) are cut to their first `LIMIT`. */
export const LIMIT = 64 * 1024

/** Where the head of `s` ends: `limit`, or one less so a surrogate pair is not split. */
export const headEnd = (s: string, limit: number): number => {
  if (s.length <= limit) return s.length
  const last = s.charCodeAt(limit - 1)
  return limit > 0 && last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit
}

/** The text put after a cut head, so the page shows where the cut is. */
export const mark = (c: Pick<Api.Cut, "bytes">): string => `\n… [cut here: ${ByteSize.text(c.bytes)} in all; "show all" below the turn]`

/** The path of a field as the API names it: segments joined by `/`, each URI-encoded. */
export const pathText = (path: ReadonlyArray<string | number>): string => path.map((p) => encodeURIComponent(String(p))).join("/")

const walk = (v: unknown, path: Array<string | number>, part: number, limit: number, out: Array<Api.Cut>): unknown => {
  if (typeof v === "string") {
    if (v.length <= limit) return v
    const shown = headEnd(v, limit)
    const cut: Api.Cut = { part, path: pathText(path), length: v.length, bytes: Buffer.byteLength(v, "utf8"), shown }
    out.push(cut)
    return v.slice(0, shown) + mark(cut)
  }
  if (v === null || typeof v !== "object") return v
  // Copied only where something under it was cut: most turns come back as they were.
  if (Array.isArray(v)) {
    let copy: Array<unknown> | undefined
    v.forEach((x, k) => {
      const y = walk(x, [...path, k], part, limit, out)
      if (y !== x) (copy ??= [...v])[k] = y
    })
    return copy ?? v
  }
  let copy: Record<string, unknown> | undefined
  for (const [k, x] of Object.entries(v)) {
    const y = walk(x, [...path, k], part, limit, out)
    if (y !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = y
  }
  return copy ?? v
}

/** The turn with its long strings cut, and what was cut. */
export const cut = (t: WorkedTurns.TurnView, limit = LIMIT): { readonly view: WorkedTurns.TurnView; readonly cuts: ReadonlyArray<Api.Cut> } => {
  const cuts: Array<Api.Cut> = []
  const parts = t.parts.map((p, k) => walk(p, [], k, limit, cuts) as WorkedTurns.Part)
  return cuts.length === 0 ? { view: t, cuts } : { view: { ...t, parts }, cuts }
}

/** The whole string at `path` (as `pathText` writes it) of part `part`, or undefined. */
export const at = (t: WorkedTurns.TurnView, part: number, path: string): string | undefined => {
  let v: unknown = t.parts[part]
  for (const seg of path === "" ? [] : path.split("/").map(decodeURIComponent)) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, seg)) return undefined
    v = (v as Record<string, unknown>)[seg]
  }
  return typeof v === "string" ? v : undefined
}

/** `text` as UTF-8 in chunks of about `size` code units, never splitting a surrogate pair. */
export const stream = (text: string, size = 1 << 20): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder()
  let at = 0
  return new ReadableStream({
    pull: (controller) => {
      if (at >= text.length) return controller.close()
      // A chunk of one code unit cannot cut before a pair: it takes the pair whole.
      const head = headEnd(text.slice(at, at + size + 1), size)
      const end = at + (head > 0 ? head : Math.min(2, text.length - at))
      controller.enqueue(encoder.encode(text.slice(at, end)))
      at = end
    }
  })
}

/**
 * `thread/list` cursors in Codex's text form, so a cursor from either server pages the other:
 * `nextCursor` is `<instant>|<thread id>` of the last row (continue strictly after it in the same
 * direction), `backwardsCursor` is a bare instant one millisecond before the first row's exact
 * instant (after it, for ascending pages), to page back in the opposite direction; a bare instant
 * is compared with the sort key. Codex keys `created_at` pages by whole seconds; a next cursor
 * prints its instant with the fraction's trailing zeros cut (`…:13.21Z`, `…:42Z`), a backwards
 * cursor with all three digits (`…:47.290Z`), as Codex prints them.
 */
import * as RpcError from "../RpcError.js"

export type Cursor = { readonly _tag: "After"; readonly ms: number; readonly id: string } | { readonly _tag: "Instant"; readonly ms: number }

const trimmed = (ms: number): string => new Date(ms).toISOString().replace(/0+Z$/, "Z").replace(/\.Z$/, "Z")

export const next = (ms: number, id: string): string => `${trimmed(ms)}|${id}`

export const backwards = (firstMs: number, ascending: boolean): string => new Date(ascending ? firstMs + 1 : firstMs - 1).toISOString()

const instant = (text: string, cursor: string): number => {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(text) ? Date.parse(text) : Number.NaN
  if (Number.isNaN(ms)) throw RpcError.invalidRequest(`invalid cursor: ${cursor}`)
  return ms
}

export const decode = (cursor: string): Cursor => {
  const bar = cursor.indexOf("|")
  if (bar < 0) return { _tag: "Instant", ms: instant(cursor, cursor) }
  const id = cursor.slice(bar + 1)
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw RpcError.invalidRequest(`invalid cursor: ${cursor}`)
  return { _tag: "After", ms: instant(cursor.slice(0, bar), cursor), id: id.toLowerCase() }
}

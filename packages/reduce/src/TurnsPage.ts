/**
 * One page of a thread's turns as Codex app-server v2 `thread/turns/list` returns it for a
 * not-loaded thread (thread-history spec §4.2, §4.4): the items view applied to every turn, then
 * cursor pagination over the whole rebuilt list. Legacy threads page by turn id
 * (`{"turnId","includeAnchor"}` cursors); paginated threads the way Codex 0.169's store does (seen
 * in the recorded oracle): by the rollout ordinal of each turn's start, with
 * `{"requestedThreadId","rolloutOrdinal","includeAnchor","scope":{"kind":"turns"}}` cursors, and a
 * summary that skips commentary messages. Pure: it takes already normalised turns and the request;
 * it does not rebuild history.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

type Turn = ThreadItem.Turn

export type ItemsView = Turn["itemsView"]
export type SortDirection = "asc" | "desc"

export interface Params {
  readonly limit?: number | undefined
  readonly cursor?: string | null | undefined
  readonly sortDirection?: SortDirection | undefined
  readonly itemsView?: ItemsView | undefined
}

/** The response body: `{data, nextCursor, backwardsCursor}`, keys in Codex's order. */
export interface Page {
  readonly data: ReadonlyArray<Turn>
  readonly nextCursor: string | null
  readonly backwardsCursor: string | null
}

/** Why a request has no page; `message` is Codex's error text. */
export interface InvalidCursor {
  readonly _tag: "InvalidCursor"
  readonly message: string
}

export type Result = { readonly _tag: "Page"; readonly page: Page } | InvalidCursor

/** How turns are anchored: by id (legacy), or by the ordinal of each turn's start (paginated). */
export type Anchors = { readonly _tag: "TurnIds" } | { readonly _tag: "Ordinals"; readonly ordinals: ReadonlyArray<number> }

export const byTurnId: Anchors = { _tag: "TurnIds" }

export const defaultLimit = 25
export const maxLimit = 100
export const defaultItemsView: ItemsView = "summary"
export const defaultSortDirection: SortDirection = "desc"

/** Codex's `clamp(limit ?? 25, 1, 100)`. */
export const pageSize = (limit: number | undefined): number => Math.min(Math.max(limit ?? defaultLimit, 1), maxLimit)

export interface Cursor {
  readonly turnId: string
  readonly includeAnchor: boolean
}

/** A cursor as Codex spells it: compact JSON, `turnId` first. */
export const encodeCursor = (c: Cursor): string => JSON.stringify({ turnId: c.turnId, includeAnchor: c.includeAnchor })

const parseObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The cursor a client sent back, or `undefined` when it is not one of ours. */
export const decodeCursor = (text: string): Cursor | undefined => {
  const value = parseObject(text)
  if (value === undefined) return undefined
  const { turnId, includeAnchor } = value
  return typeof turnId === "string" && typeof includeAnchor === "boolean" ? { turnId, includeAnchor } : undefined
}

/** A paginated thread's cursor (Codex's store). */
export interface OrdinalCursor {
  readonly requestedThreadId: string
  readonly rolloutOrdinal: number
  readonly includeAnchor: boolean
}

export const encodeOrdinalCursor = (c: OrdinalCursor): string =>
  JSON.stringify({ requestedThreadId: c.requestedThreadId, rolloutOrdinal: c.rolloutOrdinal, includeAnchor: c.includeAnchor, scope: { kind: "turns" } })

export const decodeOrdinalCursor = (text: string): OrdinalCursor | undefined => {
  const value = parseObject(text)
  if (value === undefined) return undefined
  const { requestedThreadId, rolloutOrdinal, includeAnchor, scope } = value
  const kind = typeof scope === "object" && scope !== null ? (scope as { kind?: unknown }).kind : undefined
  return typeof requestedThreadId === "string" &&
    typeof rolloutOrdinal === "number" &&
    Number.isInteger(rolloutOrdinal) &&
    typeof includeAnchor === "boolean" &&
    kind === "turns"
    ? { requestedThreadId, rolloutOrdinal, includeAnchor }
    : undefined
}

/**
 * §4.2: `summary` keeps the first user message and the last agent message (by position, any
 * phase), the one that exists if only one does, and never the same item twice.
 */
export const withItemsView = (turn: Turn, view: ItemsView, skipCommentary = false): Turn => {
  switch (view) {
    case "full":
      return turn.itemsView === "full" ? turn : { ...turn, itemsView: "full" }
    case "notLoaded":
      return { ...turn, items: [], itemsView: "notLoaded" }
    case "summary": {
      const user = turn.items.find((i) => i.type === "userMessage")
      const agent = turn.items.findLast((i) => i.type === "agentMessage" && !(skipCommentary && i.phase === "commentary"))
      const items =
        user !== undefined && agent !== undefined
          ? user.id === agent.id
            ? [user]
            : [user, agent]
          : user !== undefined
            ? [user]
            : agent !== undefined
              ? [agent]
              : []
      return { ...turn, items, itemsView: "summary" }
    }
    default: {
      const unreachable: never = view
      return unreachable
    }
  }
}

const invalid = (message: string): InvalidCursor => ({ _tag: "InvalidCursor", message })

/**
 * The indexes `[from, to)` of `turns` a cursor leaves (chronological), or why it is invalid.
 * Legacy: the anchor is the first turn with the cursor's id and must still exist. Paginated: the
 * anchor is an ordinal, compared with each turn's start ordinal.
 */
const window = (turns: ReadonlyArray<Turn>, anchors: Anchors, threadId: string, cursor: string, asc: boolean): [number, number] | InvalidCursor => {
  switch (anchors._tag) {
    case "TurnIds": {
      const c = decodeCursor(cursor)
      if (c === undefined) return invalid(`invalid cursor: ${cursor}`)
      const anchor = turns.findIndex((t) => t.id === c.turnId)
      if (anchor < 0) return invalid("invalid cursor: anchor turn is no longer present")
      return asc ? [c.includeAnchor ? anchor : anchor + 1, turns.length] : [0, c.includeAnchor ? anchor + 1 : anchor]
    }
    case "Ordinals": {
      const c = decodeOrdinalCursor(cursor)
      if (c === undefined || c.requestedThreadId !== threadId) return invalid(`invalid cursor: ${cursor}`)
      const o = anchors.ordinals
      const keep = (i: number) => {
        const ordinal = o[i] ?? 0
        return asc
          ? ordinal > c.rolloutOrdinal || (c.includeAnchor && ordinal === c.rolloutOrdinal)
          : ordinal < c.rolloutOrdinal || (c.includeAnchor && ordinal === c.rolloutOrdinal)
      }
      const kept = turns.map((_, i) => i).filter(keep)
      return kept.length === 0 ? [0, 0] : [kept[0] as number, (kept[kept.length - 1] as number) + 1]
    }
    default: {
      const unreachable: never = anchors
      return unreachable
    }
  }
}

/**
 * The page `params` asks for out of `turns` (chronological, already status-normalised), anchored
 * by turn id unless `anchors` says otherwise; `threadId` goes into paginated threads' cursors.
 */
export const page = (turns: ReadonlyArray<Turn>, params: Params = {}, anchors: Anchors = byTurnId, threadId = ""): Result => {
  const view = params.itemsView ?? defaultItemsView
  const asc = (params.sortDirection ?? defaultSortDirection) === "asc"
  const size = pageSize(params.limit)
  // Codex answers an empty thread before it looks at the cursor.
  if (turns.length === 0) return { _tag: "Page", page: { data: [], nextCursor: null, backwardsCursor: null } }
  const range =
    params.cursor === undefined || params.cursor === null ? ([0, turns.length] as [number, number]) : window(turns, anchors, threadId, params.cursor, asc)
  if (!Array.isArray(range)) return range
  const indexes = Array.from({ length: range[1] - range[0] }, (_, k) => range[0] + k)
  const ordered = asc ? indexes : indexes.reverse()
  const taken = ordered.slice(0, size)
  const cursorAt = (i: number | undefined, includeAnchor: boolean): string | null => {
    if (i === undefined) return null
    return anchors._tag === "Ordinals"
      ? encodeOrdinalCursor({ requestedThreadId: threadId, rolloutOrdinal: anchors.ordinals[i] ?? 0, includeAnchor })
      : encodeCursor({ turnId: (turns[i] as Turn).id, includeAnchor })
  }
  return {
    _tag: "Page",
    page: {
      data: taken.map((i) => withItemsView(turns[i] as Turn, view, anchors._tag === "Ordinals")),
      nextCursor: ordered.length > size ? cursorAt(taken[taken.length - 1], false) : null,
      backwardsCursor: cursorAt(taken[0], true)
    }
  }
}

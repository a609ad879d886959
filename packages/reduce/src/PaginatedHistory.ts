/**
 * Thread history of a `history_mode: "paginated"` rollout (thread-history spec §4.6): every line
 * is projected on its own — turn lifecycle events set the turn's status and times, and
 * `item_completed` records carry the canonical items (with their ids and times), which is what
 * Codex's SQLite projection serves. A pure fold; it is not the legacy replay (`ThreadHistory`).
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import type * as TurnItem from "@rollout/protocol/TurnItem"
import * as AppendOnly from "./AppendOnly.js"
import * as CommandText from "./internal/CommandText.js"
import * as Items from "./internal/ThreadHistoryItems.js"
import * as Moderation from "./internal/Moderation.js"
import * as ToolItems from "./internal/PaginatedToolItems.js"
import * as Reducer from "./internal/Reducer.js"
import * as EventRoles from "./EventRoles.js"

type Turn = ThreadItem.Turn
type Item = ThreadItem.ThreadItem

export interface State {
  /** Every turn but the newest, which events almost always name, so it is kept apart. */
  readonly older: AppendOnly.AppendOnly<Turn>
  readonly newest: Turn | null
  /**
   * The ordinal of each turn's `task_started` line, in turn order: Codex's store pages by it and
   * puts it in its cursors (`rolloutOrdinal`).
   */
  readonly ordinals: AppendOnly.AppendOnly<number>
  /**
   * Items completed for a turn no line has opened yet, by turn id. Codex's store keeps items by
   * turn id and shows them once a lifecycle event creates the turn: a review turn's items come
   * before its `task_complete`, with no `task_started` (seen with Codex 0.171's `review/start`).
   */
  readonly pending: Readonly<Record<string, ReadonlyArray<Item>>>
}

export const empty: State = { older: AppendOnly.empty(), newest: null, ordinals: AppendOnly.empty(), pending: {} }

// Turn ids are unique here: a repeated task_started updates its turn.
const has = (s: State, id: string): boolean => s.newest?.id === id || AppendOnly.findLastIndex(s.older, (t) => t.id === id) >= 0

const update = (s: State, id: string, f: (t: Turn) => Turn): State => {
  if (s.newest?.id === id) return { ...s, newest: f(s.newest) }
  const i = AppendOnly.findLastIndex(s.older, (t) => t.id === id)
  if (i < 0) return s
  return { ...s, older: AppendOnly.set(s.older, i, f(AppendOnly.get(s.older, i) as Turn)) }
}

const blank = (id: string, rootTurnId: string | null, startedAt: number | null): Turn => ({
  id,
  rootTurnId,
  items: [],
  itemsView: "full",
  status: "inProgress",
  error: null,
  startedAt,
  completedAt: null,
  durationMs: null
})

/** Adds `turn` as the newest, remembering the ordinal of the line that created it. */
// Own keys only: a turn id such as `constructor` must not find Object's.
const pendingOf = (s: State, id: string): ReadonlyArray<Item> | undefined => (Object.hasOwn(s.pending, id) ? s.pending[id] : undefined)

const open = (s: State, turn: Turn, ordinal: number | undefined): State => {
  const early = pendingOf(s, turn.id)
  const { [turn.id]: _taken, ...pending } = s.pending
  return {
    older: s.newest === null ? s.older : AppendOnly.append(s.older, s.newest),
    newest: early === undefined ? turn : { ...turn, items: [...early, ...turn.items] },
    ordinals: AppendOnly.append(s.ordinals, ordinal ?? 0),
    pending: early === undefined ? s.pending : pending
  }
}

/** Puts `it` in place of the item with its id, or after the others. */
const withItem = (items: ReadonlyArray<Item>, it: Item): ReadonlyArray<Item> => {
  const i = items.findIndex((x) => x.id === it.id)
  if (i < 0) return [...items, it]
  const out = items.slice()
  out[i] = it
  return out
}

/** `update`, creating the turn first when no line has named it yet. */
const upsert = (s: State, id: string, rootTurnId: string | null, ordinal: number | undefined, f: (t: Turn) => Turn): State =>
  has(s, id) ? update(s, id, f) : open(s, f(blank(id, rootTurnId, null)), ordinal)

type Completed = Extract<RolloutLine.RolloutLine, { type: "event_msg" }>["payload"] & { readonly type: "item_completed" }

type Untimed<I> = Omit<I, "startedAtMs" | "completedAtMs">

type Raw = Record<string, unknown> & { readonly type: TurnItem.TurnItem["type"]; readonly id: string }

/** A `UserMessage` item as v2 shows it (timing added by the caller). */
const userMessage = (raw: Raw): Untimed<ThreadItem.Of<"userMessage">> => {
  const content = (raw["content"] as ReadonlyArray<Record<string, unknown>>).map((c): ThreadItem.UserInput => {
    switch (c["type"]) {
      case "text":
        return {
          type: "text",
          text: String(c["text"]),
          text_elements: ((c["text_elements"] ?? []) as ReadonlyArray<{ byte_range: { start: number; end: number }; placeholder?: string | null }>).map(
            (t) => ({
              byteRange: { start: t.byte_range.start, end: t.byte_range.end },
              placeholder: t.placeholder ?? null
            })
          )
        }
      case "image":
        return { type: "image", url: String(c["image_url"]), detail: (c["detail"] as "auto" | undefined) ?? null }
      case "local_image":
        return { type: "localImage", detail: (c["detail"] as "auto" | undefined) ?? null, path: String(c["path"]) }
      case "audio":
        return { type: "audio", url: String(c["audio_url"]) }
      case "local_audio":
        return { type: "localAudio", path: String(c["path"]) }
      default:
        return { type: String(c["type"]) as "skill", name: String(c["name"]), path: String(c["path"]) }
    }
  })
  return { type: "userMessage", id: raw.id, clientId: (raw["client_id"] as string | undefined) ?? null, content }
}

/** An `AgentMessage` item as v2 shows it (timing added by the caller). */
const agentMessage = (raw: Raw): Untimed<ThreadItem.Of<"agentMessage">> => {
  const text = (raw["content"] as ReadonlyArray<{ text: string }>).map((c) => c.text).join("")
  const citation = raw["memory_citation"] as { entries: ReadonlyArray<never>; rolloutIds: ReadonlyArray<string> } | undefined
  const phase = raw["phase"]
  return {
    type: "agentMessage",
    moderation: Moderation.fromRollout(raw["moderation"]),
    id: raw.id,
    text,
    phase: phase === "commentary" || phase === "final_answer" ? phase : null,
    memoryCitation: citation === undefined ? null : { entries: citation.entries, threadIds: citation.rolloutIds },
    delivery: raw["delivery"] ?? null,
    questions: raw["questions"] ?? null
  }
}

/** The ThreadItem of an `item_completed` record, or `undefined` for items the projection skips. */
export const item = (e: Completed): Item | undefined => {
  const timing = { startedAtMs: Items.nullIfZero(e.started_at_ms), completedAtMs: Items.nullIfZero(e.completed_at_ms) }
  const raw = e.item as Raw
  switch (raw.type) {
    case "UserMessage":
      return { ...userMessage(raw), ...timing }
    case "AgentMessage":
      return { ...agentMessage(raw), ...timing }
    case "ContextCompaction":
      return { type: "contextCompaction", id: raw.id, ...timing }
    case "CommandExecution":
      return { ...CommandText.commandExecution(raw), ...timing }
    case "Reasoning": {
      const r = e.item as TurnItem.Of<"Reasoning">
      return { type: "reasoning", id: r.id, summary: r.summary_text, content: r.raw_content ?? [], ...timing }
    }
    case "WebSearch": {
      const w = e.item as TurnItem.Of<"WebSearch">
      return { type: "webSearch", id: w.id, query: w.query, action: Items.webSearchAction(w.action), results: w.results ?? null, ...timing }
    }
    case "FileChange": {
      const changes = (raw["changes"] ?? {}) as Parameters<typeof Items.fileChangeList>[0]
      const status = raw["status"]
      return {
        type: "fileChange",
        id: raw.id,
        changes: Items.fileChangeList(changes),
        status: status === "completed" || status === "failed" || status === "declined" ? status : "inProgress",
        ...timing
      }
    }
    case "ImageView":
      return { type: "imageView", id: raw.id, path: CommandText.filePath(String(raw["path"])), ...timing }
    case "Plan":
    case "HookPrompt":
    case "Sleep":
    case "SubAgentActivity":
    case "Extension": {
      const other = Items.fromTurnItem(e)
      return other === undefined ? undefined : { ...other, ...timing }
    }
    // Shapes checked against the Codex 0.171 app-server (fixtures/codex-tests/paginated-history/review-mode-items).
    case "EnteredReviewMode": {
      const hint = raw["user_facing_hint"]
      return { type: "enteredReviewMode", id: raw.id, review: typeof hint === "string" ? hint : "Review requested.", ...timing }
    }
    case "ExitedReviewMode":
      return { type: "exitedReviewMode", id: raw.id, review: Items.renderReview(raw["review_output"] as Parameters<typeof Items.renderReview>[0]), ...timing }
    case "ImageGeneration": {
      const revised = raw["revised_prompt"]
      const transparent = raw["transparent_background"]
      const saved = raw["saved_path"]
      return {
        type: "imageGeneration",
        id: raw.id,
        status: String(raw["status"]),
        revisedPrompt: typeof revised === "string" ? revised : null,
        result: String(raw["result"] ?? ""),
        transparentBackground: typeof transparent === "boolean" ? transparent : null,
        ...Items.imageGenerationTail(raw["failure"], typeof saved === "string" ? saved : undefined, raw["generation_id"]),
        ...timing
      }
    }
    case "McpToolCall":
      return ToolItems.mcpToolCall(raw, timing)
    case "DynamicToolCall":
      return ToolItems.dynamicToolCall(raw, timing)
    case "CollabAgentToolCall":
      return ToolItems.collabAgentToolCall(raw, timing)
    default: {
      const unreachable: never = raw.type
      return unreachable
    }
  }
}

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  if (line.type !== "event_msg") return s
  const e = line.payload
  if (!EventRoles.reads("paginated", e)) return s
  switch (e.type) {
    case "task_started":
    case "turn_started": {
      if (has(s, e.turn_id)) return update(s, e.turn_id, (t) => ({ ...t, status: "inProgress" }))
      return open(s, blank(e.turn_id, e.root_turn_id ?? null, e.started_at ?? null), line.ordinal)
    }
    case "task_complete":
    case "turn_complete":
      // The event is a whole snapshot of the turn: its times replace the turn's (a missing
      // `started_at` clears it), and a turn never started in this file is created by it.
      return upsert(s, e.turn_id, e.root_turn_id ?? null, line.ordinal, (t) => ({
        ...t,
        status: e.error === undefined ? "completed" : "failed",
        error: e.error === undefined ? null : Items.turnError(e.error),
        startedAt: e.started_at ?? null,
        completedAt: e.completed_at ?? null,
        durationMs: e.duration_ms ?? null
      }))
    case "turn_aborted":
      // Without a turn id an abort names no turn: Codex's projection skips it.
      return e.turn_id === undefined || e.turn_id === null
        ? s
        : upsert(s, e.turn_id, null, line.ordinal, (t) => ({
            ...t,
            status: "interrupted",
            startedAt: e.started_at ?? null,
            completedAt: e.completed_at ?? null,
            durationMs: e.duration_ms ?? null
          }))
    case "item_completed": {
      const it = item(e)
      if (it === undefined) return s
      if (!has(s, e.turn_id)) return { ...s, pending: { ...s.pending, [e.turn_id]: withItem(pendingOf(s, e.turn_id) ?? [], it) } }
      return update(s, e.turn_id, (t) => ({ ...t, items: withItem(t.items, it) }))
    }
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

export const fold = Reducer.foldWith(step, empty)

/** Cold `thread/read` turns: `inProgress` becomes `interrupted` (§4.1). */
/** `ordinal(s)[i]` is the rollout ordinal of `turns(s)[i]`. */
export const ordinals = (s: State): ReadonlyArray<number> => AppendOnly.toArray(s.ordinals)

export const turns = (s: State): ReadonlyArray<Turn> =>
  [...AppendOnly.toArray(s.older), ...(s.newest === null ? [] : [s.newest])].map((t) =>
    t.status === "inProgress" ? { ...t, status: "interrupted" as const } : t
  )

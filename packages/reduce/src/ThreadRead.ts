/**
 * `thread/read` in one pass: the thread's metadata (`ThreadMetadata`) and its turns, rebuilt the
 * way the file's first `session_meta` says — the legacy replay (`ThreadHistory`) or the paginated
 * projection (`PaginatedHistory`) — folded together so a caller streams the rollout once and holds
 * only what the answer holds. A pure fold; reading files and a fork's parent is the caller's job.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as PaginatedHistory from "./PaginatedHistory.js"
import * as PersistenceFilter from "./PersistenceFilter.js"
import * as Reducer from "./Reducer.js"
import * as ThreadHistory from "./ThreadHistory.js"
import * as ThreadMetadata from "./ThreadMetadata.js"
import type * as TurnsPage from "./TurnsPage.js"

export type Mode = "legacy" | "paginated"

export interface State {
  readonly metadata: ThreadMetadata.State
  /** Decided by the first session_meta; until then both histories are folded. */
  readonly mode: Mode | null
  readonly legacy: ThreadHistory.State
  readonly paginated: PaginatedHistory.State
  /** Lines at or past this ordinal are not this history's (a fork parent's cut), if set. */
  readonly endOrdinal: number | null
}

export const empty: State = { metadata: ThreadMetadata.empty, mode: null, legacy: ThreadHistory.empty, paginated: PaginatedHistory.empty, endOrdinal: null }

/**
 * Every line through the live builder (`--all-events`, see `ThreadHistory.live`), whatever the
 * history mode: Codex's live tracker builds turns the same way for both.
 */
export const live = (freshId: ThreadHistory.Live): State => ({ ...empty, mode: "legacy", legacy: ThreadHistory.live(freshId) })

/** A fork parent's history, cut before `endOrdinal` (`session_meta.history_base`). */
export const until = (endOrdinal: number): State => ({ ...empty, endOrdinal })

/**
 * The start of a paginated thread whose earlier turns are `base`'s (an exec fork): the turns so
 * far, and the preview Codex takes from the inherited history.
 */
export const inherit = (base: State): State => ({ ...empty, mode: "paginated", metadata: ThreadMetadata.inherit(base.metadata), paginated: base.paginated })

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  if (s.endOrdinal !== null && line.ordinal !== undefined && line.ordinal >= s.endOrdinal) return s
  const metadata = ThreadMetadata.step(s.metadata, line)
  const mode: Mode | null =
    s.mode === null && metadata.meta !== null ? (metadata.meta.history_mode === "paginated" ? "paginated" : "legacy") : s.mode
  const legacy = mode === "paginated" ? s.legacy : ThreadHistory.step(s.legacy, line)
  const paginated = mode === "legacy" ? s.paginated : PaginatedHistory.step(s.paginated, line)
  // Most lines change one part or none: keep the state itself when nothing moved (less garbage).
  if (metadata === s.metadata && mode === s.mode && legacy === s.legacy && paginated === s.paginated) return s
  return { metadata, mode, legacy, paginated, endOrdinal: s.endOrdinal }
}

export const fold = Reducer.foldWith(step, empty)

/**
 * What a streaming reader must do with a line, judged from its raw JSON before any schema
 * decoding (decoding is most of the cost of reading a large rollout): `decode` it and `step`,
 * only `count` it (a kept line no reducer reads: it takes a rollout index), or `skip` it.
 * Lines any reducer here reads are always decoded. A counted line is not schema-checked: one that
 * is JSON but breaks its schema (Codex drops it) would shift the `rollout-N` ids of later implicit
 * turns; `rollout validate` reports such lines.
 */
export type Triage = "decode" | "count" | "skip"

const readEvents: ReadonlySet<string> = new Set([
  "task_started", "turn_started", "task_complete", "turn_complete", "turn_aborted", "thread_rolled_back", "error",
  "user_message", "agent_message", "agent_reasoning", "agent_reasoning_raw_content", "context_compacted",
  "patch_apply_end", "mcp_tool_call_end", "web_search_end", "image_generation_end", "sub_agent_activity",
  "entered_review_mode", "exited_review_mode", "item_started", "item_completed"
])

/** A user message whose every part could be a `<hook_prompt>` fragment (the builder decides). */
const mayBeHookPrompt = (payload: Record<string, unknown>): boolean => {
  if (payload["role"] !== "user" || !Array.isArray(payload["content"])) return false
  return (payload["content"] as ReadonlyArray<{ type?: unknown; text?: unknown }>).every(
    (c) => c !== null && typeof c === "object" && c.type === "input_text" && typeof c.text === "string" && c.text.trimStart().startsWith("<hook_prompt")
  )
}

export const triage = (s: State, value: Readonly<Record<string, unknown>>): Triage => {
  // The live builder reads every event.
  if (s.legacy.live !== null) return "decode"
  const type = value["type"]
  const payload = value["payload"]
  const payloadType = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>)["type"] : undefined
  switch (type) {
    case "session_meta":
    case "compacted":
      return "decode"
    case "turn_context": {
      // Only its model and effort are read: one that changes neither only takes its index.
      const p = (payload ?? {}) as { readonly model?: unknown; readonly effort?: unknown }
      const m = s.metadata
      const same = (typeof p.model !== "string" || p.model === m.model) && (typeof p.effort === "string" ? p.effort === m.reasoningEffort : m.reasoningEffort === null)
      if (!same) return "decode"
      break
    }
    case "event_msg":
      if (typeof payloadType === "string" && readEvents.has(payloadType)) return "decode"
      break
    case "response_item":
      if (payloadType === "message" && mayBeHookPrompt(payload as Record<string, unknown>)) return "decode"
      break
  }
  if (s.endOrdinal !== null && typeof value["ordinal"] === "number" && value["ordinal"] >= s.endOrdinal) return "skip"
  return PersistenceFilter.isPersistedRaw(type, payloadType) ? "count" : "skip"
}

/** `step` for `n` lines in a row `triage` said to count. */
export const count = (s: State, n = 1): State =>
  s.mode === "paginated" || n === 0 ? s : { metadata: s.metadata, mode: s.mode, legacy: ThreadHistory.count(s.legacy, n), paginated: s.paginated, endOrdinal: s.endOrdinal }

/** The thread's `session_meta` payload, once seen. */
export const meta = (s: State) => s.metadata.meta

/** The turns `thread/read` answers for a not-loaded thread (status-normalised, items full). */
export const turns = (s: State): ReadonlyArray<ThreadItem.Turn> =>
  s.mode === "paginated" ? PaginatedHistory.turns(s.paginated) : ThreadHistory.normalize(ThreadHistory.finish(s.legacy))

/**
 * How `thread/turns/list` pages these turns: by turn id (legacy replay), or, for paginated
 * threads, by the rollout ordinal of each turn's start as Codex's store does.
 */
export const anchors = (s: State): TurnsPage.Anchors =>
  s.mode === "paginated" ? { _tag: "Ordinals", ordinals: PaginatedHistory.ordinals(s.paginated) } : { _tag: "TurnIds" }

/**
 * `JSON.stringify(thread(s, file))`, built from the finished turns' JSON texts (legacy replay)
 * so that a long history is never held as objects; `undefined` without a session_meta.
 */
export const threadJson = (s: State, file: ThreadMetadata.FileInfo): string | undefined => {
  const parts = threadJsonParts(s, file)
  return parts === undefined ? undefined : [...parts].join("")
}

/**
 * `threadJson` in pieces (a turn at a time, produced as they are read), for a writer that need not
 * hold the whole text at once.
 */
export const threadJsonParts = (s: State, file: ThreadMetadata.FileInfo): Iterable<string> | undefined => {
  const t = ThreadMetadata.thread(s.metadata, file)
  if (t === undefined) return undefined
  // `turns` is the Thread's last field: its empty array ends the text.
  const head = JSON.stringify({ ...t, turns: [] })
  const turnsJson = s.mode === "paginated" ? turns(s).map((x) => JSON.stringify(x)) : ThreadHistory.finishedJson(s.legacy)
  return (function* () {
    yield `${head.slice(0, -"[]}".length)}[`
    for (let i = 0; i < turnsJson.length; i++) {
      if (i > 0) yield ","
      yield turnsJson[i] as string
    }
    yield "]}"
  })()
}

/** The whole `thread` object (turns included), or `undefined` without a session_meta. */
export const thread = (s: State, file: ThreadMetadata.FileInfo): ThreadItem.Thread | undefined => {
  const t = ThreadMetadata.thread(s.metadata, file)
  return t === undefined ? undefined : { ...t, turns: turns(s) }
}

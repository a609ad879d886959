/**
 * The `thread` object of `thread/read` (everything but `turns`) as Codex 0.169 answers it for a
 * not-loaded thread, folded from the rollout's lines plus what only the file system and the
 * session index know (path, modification time, name). A pure fold; it reads no files.
 */
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Reducer from "./internal/Reducer.js"
import * as EventRoles from "./EventRoles.js"

export interface FileInfo {
  readonly path: string
  readonly mtimeMs: number
  /** The thread name from `session_index.jsonl`, if any. */
  readonly name?: string | null
}

export interface State {
  readonly meta: Extract<RolloutLine.RolloutLine, { type: "session_meta" }>["payload"] | null
  readonly model: string | null
  readonly reasoningEffort: string | null
  readonly preview: string | null
  /** Seconds of the last turn start: Codex's `recencyAt`. */
  readonly lastTurnAt: number | null
}

export const empty: State = { meta: null, model: null, reasoningEffort: null, preview: null, lastTurnAt: null }

/**
 * The starting state of a thread whose history begins in another rollout (`history_base`, exec
 * forks): Codex takes the preview from the inherited history.
 */
export const inherit = (base: State): State => ({ ...empty, preview: base.preview })

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000)

export const step = (s: State, line: RolloutLine.RolloutLine): State => {
  switch (line.type) {
    // A fork copies its parent's session_meta after its own: the first one is the thread's.
    case "session_meta":
      return s.meta === null ? { ...s, meta: line.payload } : s
    case "turn_context": {
      const p = line.payload as { readonly model?: unknown; readonly effort?: unknown }
      return {
        ...s,
        model: typeof p.model === "string" ? p.model : s.model,
        reasoningEffort: typeof p.effort === "string" ? p.effort : null
      }
    }
    case "event_msg": {
      const e = line.payload
      if (!EventRoles.reads("metadata", e)) return s
      switch (e.type) {
        case "task_started":
        case "turn_started":
          return { ...s, lastTurnAt: e.started_at ?? seconds(line.timestamp) }
        case "user_message":
          return s.preview === null ? { ...s, preview: e.message } : s
        case "item_completed": {
          if (s.preview !== null) return s
          const item = e.item as { readonly type?: unknown; readonly content?: ReadonlyArray<{ type?: unknown; text?: unknown }> }
          const text = item.type === "UserMessage" ? item.content?.find((c) => c.type === "text")?.text : undefined
          return typeof text === "string" ? { ...s, preview: text } : s
        }
        default: {
          const unreachable: never = e
          return unreachable
        }
      }
    }
    case "response_item":
    case "compacted":
    case "world_state":
    case "inter_agent_communication":
    case "inter_agent_communication_metadata":
    case "token_usage_record":
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return s
    default: {
      const unreachable: never = line
      return unreachable
    }
  }
}

export const fold = Reducer.foldWith(step, empty)

/** The `thread` object without its turns (`turns: []`), or `undefined` without a session_meta. */
export const thread = (s: State, file: FileInfo): ThreadItem.Thread | undefined => {
  const m = s.meta
  if (m === null) return undefined
  const createdAt = seconds(m.timestamp)
  return {
    id: m.id,
    environments: null,
    extra: null,
    sessionId: m.session_id ?? m.id,
    forkedFromId: m.forked_from_id ?? null,
    attachedToThreadId: null,
    parentThreadId: m.parent_thread_id ?? null,
    preview: s.preview ?? "",
    ephemeral: false,
    section: null,
    sectionEnteredAt: null,
    projectId: null,
    historyMode: m.history_mode ?? "legacy",
    modelProvider: m.model_provider ?? "",
    model: s.model,
    reasoningEffort: s.reasoningEffort,
    createdAt,
    updatedAt: Math.floor(file.mtimeMs / 1000),
    recencyAt: s.lastTurnAt ?? createdAt,
    status: { type: "notLoaded" },
    path: file.path,
    cwd: m.cwd,
    cliVersion: m.cli_version,
    originator: m.originator,
    source: m.source ?? "vscode",
    canAcceptDirectInput: null,
    threadSource: m.thread_source ?? null,
    agentNickname: m.agent_nickname ?? null,
    agentRole: m.agent_role ?? m.agent_type ?? null,
    gitInfo: null,
    name: file.name ?? null,
    daybreakEnabled: null,
    turns: []
  }
}

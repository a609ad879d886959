/**
 * A thread's row as the files say it should be: the metadata folds of its files (segments: every
 * rollout named with the thread's id, active ones first, then by path) combined as if the files
 * were one log, plus the file-system facts (paths, modification times, archive folder). Pure: the
 * millisecond cursors (which depend on the other rows) are allocated by the store that keeps the
 * rows. The local index and the team store list threads by the same rule.
 */
import type * as ThreadMetadata from "./ThreadMetadata.js"
import * as ThreadSummary from "./ThreadSummary.js"

export interface Segment {
  readonly path: string
  readonly archived: boolean
  readonly mtimeMs: number
  readonly metadata: ThreadMetadata.State
}

/** The columns of `threads` that come from the files alone. */
export interface Natural {
  readonly id: string
  readonly rolloutPath: string
  readonly createdAtMs: number
  readonly updatedAtMs: number
  readonly preview: string
  readonly cwd: string
  readonly source: string
  readonly modelProvider: string | null
  readonly model: string | null
  readonly reasoningEffort: string | null
  readonly cliVersion: string | null
  readonly originator: string | null
  readonly historyMode: string
  readonly historyBaseId: string | null
  readonly archived: boolean
  readonly forkedFromId: string | null
  readonly parentThreadId: string | null
  readonly agentNickname: string | null
  readonly agentRole: string | null
  readonly lastTurnAt: number | null
}

/** Segment order: active files before archived ones, then by path (CodexHome.rollouts's order). */
export const order = (a: Pick<Segment, "path" | "archived">, b: Pick<Segment, "path" | "archived">): number =>
  a.archived !== b.archived ? (a.archived ? 1 : -1) : a.path < b.path ? -1 : a.path > b.path ? 1 : 0

/** A spawned sub-agent names its parent in its source: `{"subagent":{"thread_spawn":{"parent_thread_id":…}}}`. */
const spawnParent = (source: unknown): string | null => {
  const spawn = (source as { subagent?: { thread_spawn?: { parent_thread_id?: unknown } } } | null)?.subagent?.thread_spawn
  return typeof spawn?.parent_thread_id === "string" ? spawn.parent_thread_id : null
}

/**
 * The natural row of a thread, or undefined when none of its files has a `session_meta` (Codex
 * does not list such files either). `fallbackId` is the id in the file names.
 */
export const make = (fallbackId: string, segments: ReadonlyArray<Segment>): Natural | undefined => {
  const sorted = [...segments].sort(order)
  // Folding the segments one after the other: the first session_meta and preview win, the latest
  // turn settings win (ThreadMetadata.step's rules, applied across files).
  const meta = sorted.find((s) => s.metadata.meta !== null)?.metadata.meta ?? null
  const first = sorted[0]
  if (meta === null || first === undefined) return undefined
  const preview = sorted.find((s) => s.metadata.preview !== null)?.metadata.preview ?? ""
  const settings = [...sorted].reverse().find((s) => s.metadata.model !== null)?.metadata
  const lastTurnAt = [...sorted].reverse().find((s) => s.metadata.lastTurnAt !== null)?.metadata.lastTurnAt ?? null
  const created = Date.parse(meta.timestamp)
  return {
    id: fallbackId !== "" ? fallbackId : meta.id,
    rolloutPath: first.path,
    createdAtMs: Number.isFinite(created) ? created : 0,
    updatedAtMs: Math.max(...sorted.map((s) => Math.floor(s.mtimeMs))),
    preview,
    cwd: meta.cwd,
    source: ThreadSummary.sourceName(meta.source ?? "vscode"),
    modelProvider: meta.model_provider ?? null,
    model: settings?.model ?? null,
    reasoningEffort: settings?.reasoningEffort ?? null,
    cliVersion: meta.cli_version,
    originator: meta.originator,
    historyMode: meta.history_mode ?? "legacy",
    historyBaseId: meta.history_base?.thread_id ?? null,
    archived: sorted.every((s) => s.archived),
    forkedFromId: meta.forked_from_id ?? null,
    parentThreadId: meta.parent_thread_id ?? spawnParent(meta.source),
    agentNickname: meta.agent_nickname ?? null,
    agentRole: meta.agent_role ?? meta.agent_type ?? null,
    lastTurnAt
  }
}

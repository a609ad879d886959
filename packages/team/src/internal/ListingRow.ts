/**
 * A thread's listing row from its files' metadata folds, combined as the local index combines a
 * thread's segments (active files before archived ones, then by path; the first `session_meta`
 * and preview win, the latest turn settings win). Pure. The local index keeps the same rule in
 * its internal ThreadRow; `Team.test` checks both listings agree field for field.
 */
import type * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadSummary from "@rollout/reduce/ThreadSummary"

export interface Segment {
  readonly path: string
  readonly archived: boolean
  readonly mtimeMs: number
  readonly metadata: ThreadMetadata.State
}

export interface Row {
  readonly id: string
  readonly rolloutPath: string
  readonly paths: ReadonlyArray<string>
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

const order = (a: Segment, b: Segment): number => (a.archived !== b.archived ? (a.archived ? 1 : -1) : a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

const spawnParent = (source: unknown): string | null => {
  const spawn = (source as { subagent?: { thread_spawn?: { parent_thread_id?: unknown } } } | null)?.subagent?.thread_spawn
  return typeof spawn?.parent_thread_id === "string" ? spawn.parent_thread_id : null
}

const last = <A>(xs: ReadonlyArray<A>, pick: (a: A) => boolean): A | undefined => [...xs].reverse().find(pick)

/** The row, or undefined when no file has a `session_meta` (such a thread is not listed). */
export const make = (fallbackId: string, segments: ReadonlyArray<Segment>): Row | undefined => {
  const sorted = [...segments].sort(order)
  const meta = sorted.find((s) => s.metadata.meta !== null)?.metadata.meta ?? null
  const first = sorted[0]
  if (meta === null || first === undefined) return undefined
  const settings = last(sorted, (s) => s.metadata.model !== null)?.metadata
  const created = Date.parse(meta.timestamp)
  return {
    id: fallbackId !== "" ? fallbackId : meta.id,
    rolloutPath: first.path,
    paths: sorted.map((s) => s.path),
    createdAtMs: Number.isFinite(created) ? created : 0,
    updatedAtMs: Math.max(...sorted.map((s) => Math.floor(s.mtimeMs))),
    preview: sorted.find((s) => s.metadata.preview !== null)?.metadata.preview ?? "",
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
    lastTurnAt: last(sorted, (s) => s.metadata.lastTurnAt !== null)?.metadata.lastTurnAt ?? null
  }
}

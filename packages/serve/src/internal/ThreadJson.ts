/**
 * Codex's v2 `Thread` (without turns) built from an index row: what `thread/list` answers for each
 * thread and `thread/read` answers without `includeTurns`. Field order is Codex's, so the JSON text
 * matches too. Not loaded threads only: this server never runs one.
 */
import type * as ThreadList from "@rollout/store/ThreadList"
import * as MetaLine from "./MetaLine.js"
import * as SessionSource from "./SessionSource.js"

export type Json = Record<string, unknown>

/**
 * `updatedAt` differs by method in Codex: a listing shows the file's modification time; a
 * metadata-only `thread/read` shows the creation time of a legacy thread and the modification time
 * of a paginated one. Codex's backfill sets `recencyAt` to the update time of a thread it did not
 * run itself, and its listing shows no fork parent (`forkedFromId`, `parentThreadId` and `threadSource`
 * are null there, set in `thread/read`).
 */
export type Flavor = "list" | "read"

export const make = (t: ThreadList.ThreadSummary, flavor: Flavor, meta: MetaLine.Meta | undefined = MetaLine.read(t.path)): Json => {
  return {
    id: t.id,
    environments: null,
    extra: null,
    sessionId: meta?.session_id ?? t.id,
    forkedFromId: flavor === "read" ? t.forkedFromId : null,
    attachedToThreadId: null,
    parentThreadId: flavor === "read" ? t.parentThreadId : null,
    preview: t.preview,
    ephemeral: false,
    section: null,
    sectionEnteredAt: null,
    projectId: null,
    historyMode: t.historyMode,
    modelProvider: t.modelProvider ?? "",
    model: t.model,
    reasoningEffort: t.reasoningEffort,
    createdAt: t.createdAt,
    updatedAt: flavor === "read" && t.historyMode !== "paginated" ? t.createdAt : t.updatedAt,
    recencyAt: t.updatedAt,
    status: { type: "notLoaded" },
    path: t.path,
    cwd: t.cwd,
    cliVersion: t.cliVersion ?? "",
    originator: t.originator ?? "",
    source: SessionSource.toV2(meta?.source ?? t.source),
    canAcceptDirectInput: null,
    threadSource: flavor === "read" ? (meta?.thread_source ?? null) : null,
    agentNickname: t.agentNickname,
    agentRole: t.agentRole,
    gitInfo: null,
    name: t.name,
    daybreakEnabled: null,
    turns: []
  }
}

/** Codex pairs every listed or read thread with a read state; for a thread never opened it is this. */
export const readState = (id: string): Json => ({ firstUnread: null, revision: `initial:${id}` })

// What the index should hold, computed from the files alone: every rollout read from its first
// byte (no stored offsets, no database), grouped by thread. The model-based and concurrency tests
// compare the index against it.
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as FileScan from "@rollout/store/FileScan"
import type { Db } from "@rollout/store/IndexDatabase"
import * as ThreadRow from "@rollout/reduce/ThreadRow"
import * as ThreadFacts from "@rollout/reduce/ThreadFacts"

/** A thread row as the files say, with the facts `ls` shows. */
export interface Thread extends ThreadRow.Natural, ThreadFacts.State {
  readonly bytes: number
}

export interface Projection {
  readonly threads: ReadonlyArray<Thread>
  readonly docs: ReadonlyArray<string>
}

const docKey = (path: string, d: { offset: number; line: number; turnIndex: number | null; turnId: string | null; kind: string; text: string }) =>
  JSON.stringify([path, d.offset, d.line, d.turnIndex, d.turnId, d.kind, d.text])

export const ofFiles = async (home: string): Promise<Projection> => {
  const groups = new Map<string, Array<ThreadRow.Segment & { readonly facts: ThreadFacts.State; readonly bytes: number }>>()
  const docs: Array<string> = []
  for (const f of await CodexHome.rollouts(Files.node, home)) {
    const scan = await FileScan.scan(f.path)
    const { metadata, facts } = FileScan.latest(scan)
    const id = f.id !== "" ? f.id : (metadata.meta?.id ?? f.path)
    const segment = { path: f.path, archived: f.archived, mtimeMs: scan.mtimeMs, metadata, facts: facts ?? ThreadFacts.empty, bytes: scan.size }
    groups.set(id, [...(groups.get(id) ?? []), segment])
    for (const d of scan.docs) docs.push(docKey(f.path, d))
  }
  const threads = [...groups].flatMap(([id, segments]) => {
    const row = ThreadRow.make(id, segments)
    const facts = ThreadFacts.combine([...segments].sort(ThreadRow.order).map((s) => s.facts))
    return row === undefined ? [] : [{ ...row, ...facts, bytes: segments.reduce((n, s) => n + s.bytes, 0) }]
  })
  return { threads: threads.sort((a, b) => (a.id < b.id ? -1 : 1)), docs: docs.sort() }
}

interface Row {
  readonly id: string
  readonly rollout_path: string
  readonly created_at_natural_ms: number
  readonly updated_at_natural_ms: number
  readonly preview: string
  readonly cwd: string
  readonly source: string
  readonly model_provider: string | null
  readonly model: string | null
  readonly reasoning_effort: string | null
  readonly cli_version: string | null
  readonly originator: string | null
  readonly history_mode: string
  readonly history_base_id: string | null
  readonly archived: number
  readonly forked_from_id: string | null
  readonly parent_thread_id: string | null
  readonly agent_nickname: string | null
  readonly agent_role: string | null
  readonly last_turn_at: number | null
  readonly turns: number
  readonly tokens: string | null
  readonly bytes: number
}

/** The same view of what the index holds. */
export const ofIndex = (db: Db): Projection => {
  const threads = db
    .prepare<[], Row>("SELECT * FROM threads ORDER BY id")
    .all()
    .map(
      (r): Thread => ({
        id: r.id,
        rolloutPath: r.rollout_path,
        createdAtMs: r.created_at_natural_ms,
        updatedAtMs: r.updated_at_natural_ms,
        preview: r.preview,
        cwd: r.cwd,
        source: r.source,
        modelProvider: r.model_provider,
        model: r.model,
        reasoningEffort: r.reasoning_effort,
        cliVersion: r.cli_version,
        originator: r.originator,
        historyMode: r.history_mode,
        historyBaseId: r.history_base_id,
        archived: r.archived === 1,
        forkedFromId: r.forked_from_id,
        parentThreadId: r.parent_thread_id,
        agentNickname: r.agent_nickname,
        agentRole: r.agent_role,
        lastTurnAt: r.last_turn_at,
        turns: r.turns,
        tokens: r.tokens === null ? null : (JSON.parse(r.tokens) as ThreadFacts.State["tokens"]),
        bytes: r.bytes
      })
    )
  const docs = db
    .prepare<[], { path: string; offset: number; line: number; turn_index: number | null; turn_id: string | null; kind: string; text: string }>(
      "SELECT * FROM docs"
    )
    .all()
    .map((d) => docKey(d.path, { offset: d.offset, line: d.line, turnIndex: d.turn_index, turnId: d.turn_id, kind: d.kind, text: d.text }))
  return { threads, docs: docs.sort() }
}

/** The cursor columns are unique, at or after the natural instant, and not far from it. */
export const cursorProblems = (db: Db, maxBump = 1000): Array<string> => {
  const rows = db
    .prepare<[], { id: string; c: number; u: number; cn: number; un: number }>(
      "SELECT id, created_at_ms c, updated_at_ms u, created_at_natural_ms cn, updated_at_natural_ms un FROM threads"
    )
    .all()
  const problems: Array<string> = []
  const seen = { c: new Set<number>(), u: new Set<number>() }
  for (const r of rows) {
    if (seen.c.has(r.c) || seen.u.has(r.u)) problems.push(`${r.id}: duplicate cursor`)
    seen.c.add(r.c)
    seen.u.add(r.u)
    if (r.c < r.cn || r.c > r.cn + maxBump) problems.push(`${r.id}: created_at_ms ${r.c} vs natural ${r.cn}`)
    if (r.u < r.un || r.u > r.un + maxBump) problems.push(`${r.id}: updated_at_ms ${r.u} vs natural ${r.un}`)
  }
  return problems
}

/**
 * Generated Codex homes for the team tests and benchmark: sessions of random valid turns
 * (`@rollout/query/test/support/StatsCorpus`), with a legacy fork, a sub-agent, a thread in two
 * segments, an archived session, a named thread and a corrupt line, so pushing one exercises every
 * path of the statistics fold. Deterministic for a seed. Written to a temp dir; never committed.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as StatsCorpus from "@rollout/query/test/support/StatsCorpus"

const DAY = 86_400_000

export interface Options {
  /** Plain sessions besides the special ones. */
  readonly sessions: number
  readonly seed: number
  /** Turns per plain session (at least 1). */
  readonly turns?: number
  /** A word only this home's first thread says, to search for. */
  readonly word?: string
  readonly start?: number
}

const text = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

/** Thread ids unique per seed, so homes of different seeds never share a thread. */
export const threadId = (seed: number, n: number): string => `0198f2a4-${String(seed % 10000).padStart(4, "0")}-7d8e-9f00-${String(n).padStart(12, "0")}`

/** Writes a home under a new temp folder and returns its path. */
export const generate = (o: Options): string => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `rollout-team-home-${o.seed}-`))
  const rand = StatsCorpus.prng(o.seed)
  const t0 = o.start ?? Date.UTC(2026, 5, 1, 9) + o.seed * 3_600_000
  const write = (ms: number, id: string, lines: ReadonlyArray<string>, archived = false) => {
    const d = new Date(ms)
    const dir = archived
      ? path.join(home, "archived_sessions")
      : path.join(home, "sessions", String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, "0"), String(d.getUTCDate()).padStart(2, "0"))
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, StatsCorpus.fileName(id, ms))
    fs.writeFileSync(file, text(lines))
    return file
  }
  const session = (n: number, start: number, turns: number, meta: StatsCorpus.MetaOptions = {}, seed = StatsCorpus.runningAt([], 0), words = "") => {
    const id = threadId(o.seed, n)
    const w = new StatsCorpus.Writer(id, start + 1000, seed)
    const lines = [StatsCorpus.sessionMeta(id, start, meta)]
    for (let i = 0; i < turns; i++) {
      lines.push(...w.turn(StatsCorpus.randomTurn(rand), i === 0 ? words : ""))
      if (i % 3 === 2) w.ms += DAY / 3
    }
    return { id, lines, w }
  }
  const turns = Math.max(1, o.turns ?? 4)
  const a = session(1, t0, 6)
  if (o.word !== undefined)
    a.lines.push(
      `{"timestamp":"${new Date(a.w.ms + 1).toISOString()}","type":"event_msg","payload":{"type":"agent_message","message":"the ${o.word} in parser[0] is fixed","memory_citation":null}}`
    )
  write(t0, a.id, a.lines)
  const sub = session(2, t0 + 5000, 2, { subAgentOf: a.id })
  write(t0 + 5000, sub.id, sub.lines)
  // A legacy fork of A copying its first half.
  const cut = Math.floor(a.lines.length / 2)
  const bAt = a.w.ms + DAY
  const bOwn = session(3, bAt, 2, {}, StatsCorpus.runningAt(a.lines, cut))
  write(bAt, bOwn.id, [StatsCorpus.sessionMeta(bOwn.id, bAt, { forkedFromId: a.id }), ...StatsCorpus.copied(a.lines, cut, bAt), ...bOwn.lines.slice(1)])
  // One thread in two segments, the second continuing the first's running total.
  const e1 = session(4, t0 + DAY, 3)
  write(t0 + DAY, e1.id, e1.lines)
  const e2w = new StatsCorpus.Writer(e1.id, e1.w.ms + 3_600_000, e1.w.running)
  const e2 = [StatsCorpus.sessionMeta(e1.id, e1.w.ms + 3_600_000)]
  for (let i = 0; i < 2; i++) e2.push(...e2w.turn(StatsCorpus.randomTurn(rand)))
  write(e1.w.ms + 3_600_000, e1.id, e2)
  // An archived session, and one with a corrupt line.
  const arch = session(5, t0 - DAY, 2)
  write(t0 - DAY, arch.id, arch.lines, true)
  const bad = session(6, t0 + 2 * DAY, 2)
  write(t0 + 2 * DAY, bad.id, [...bad.lines.slice(0, 3), "{not json", ...bad.lines.slice(3)])
  for (let k = 0; k < o.sessions; k++) {
    const at = t0 + 3 * DAY + k * 60_000
    const s = session(100 + k, at, 1 + Math.floor(rand() * turns))
    write(at, s.id, s.lines)
  }
  fs.writeFileSync(
    path.join(home, "session_index.jsonl"),
    `${JSON.stringify({ id: a.id, thread_name: `named thread of ${o.seed}`, updated_at: new Date(t0).toISOString() })}\n`
  )
  return home
}

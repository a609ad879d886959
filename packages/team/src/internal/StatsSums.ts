/**
 * The statistics buckets' sums a report reads, grouped by the server so that only the answer's
 * rows leave it: the rollup (`stat_rollup`) by local day, model and tier, which makes the rows of
 * every grouping but session and project, the chart's days and the cost mix; and the threads' own
 * buckets per thread, per project, or those of sub-agents, inside the window when there is one.
 * Local days and the window's cut come from `LocalDays`. Only integer sums run here.
 */
import type { Session } from "../TeamDatabase.js"
import * as LocalDays from "./LocalDays.js"
import { type Buckets, Params, type Sums, TOKENS, where } from "./StatsScope.js"

const SUMS = `${TOKENS}, sum(b.turns) AS turns, sum(b.tool_calls) AS tool_calls, sum(b.errors) AS errors`

/**
 * The UTC days the rollup's slots in range are on (their first ten characters), by a skip scan of
 * its slot index: one probe per day rather than a read of every row. A slot that is no time is
 * stepped over one at a time; it is placed by the report itself in any case.
 */
export const utcDays = async (tx: Session, buckets: Buckets): Promise<Array<string>> => {
  const p = new Params()
  const first = where([buckets.range(p, "slot")])
  const next = buckets.range(p, "r.slot")
  const rows = await tx.query<{ day: string }>(
    `WITH RECURSIVE d(slot) AS (
       SELECT min(slot) FROM stat_rollup ${first}
       UNION ALL
       SELECT (SELECT min(r.slot) FROM stat_rollup r
         WHERE r.slot > CASE WHEN d.slot ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' THEN left(d.slot, 10) || 'U' ELSE d.slot END${next === undefined ? "" : ` AND ${next}`})
       FROM d WHERE d.slot IS NOT NULL
     ) SELECT DISTINCT left(slot, 10) AS day FROM d WHERE slot IS NOT NULL`,
    p.values
  )
  return rows.map((r) => r.day)
}

/**
 * The rollup in range summed by local day, model and tier, days outside the window left out. A
 * slot the steps do not place comes back on its own (`raw`, with `day` null) for the report to place.
 */
export const byDay = (tx: Session, buckets: Buckets, place: LocalDays.Placement): Promise<ReadonlyArray<Sums>> => {
  const p = new Params()
  const z = LocalDays.join(place, "b", p.add)
  const w = where([buckets.machine.clause(p, "b.machine", "b.slot"), buckets.range(p, "b.slot"), `(z.day IS NULL OR z.keep)`])
  return tx.query<Sums>(
    `SELECT z.day, CASE WHEN z.day IS NULL THEN b.slot END AS raw, b.model, b.tier, ${SUMS}
     FROM stat_rollup b ${z.sql} ${w} GROUP BY 1, 2, b.model, b.tier`,
    p.values
  )
}

/** What the threads' buckets are summed by: each thread, each project (the thread's `cwd`), or all sub-agents' together. */
export type Per = "thread" | "project" | "sub_agents"

const GROUPS: Record<Per, { readonly select: string; readonly group: string; readonly filter?: string }> = {
  thread: { select: "b.machine, b.key, b.model, b.tier", group: "GROUP BY b.machine, b.key, b.model, b.tier" },
  project: { select: "t.cwd, b.model, b.tier", group: "GROUP BY t.cwd, b.model, b.tier" },
  sub_agents: { select: "b.model, b.tier", group: "GROUP BY b.model, b.tier", filter: "t.sub_agent" }
}

/** The threads' buckets in range (and on a local day of the window when `place` is given), summed `per` thread, project or sub-agents. */
export const threads = (tx: Session, buckets: Buckets, per: Per, place: LocalDays.Placement | undefined): Promise<ReadonlyArray<Sums>> => {
  const p = new Params()
  const g = GROUPS[per]
  const z = place === undefined ? undefined : LocalDays.join(place, "b", p.add)
  const joinThreads = per === "thread" ? "" : "JOIN stat_threads t ON t.machine = b.machine AND t.key = b.key"
  const w = where([buckets.machine.clause(p, "b.machine", "b.key"), buckets.range(p, "b.slot"), z?.keep, g.filter])
  return tx.query<Sums>(`SELECT ${g.select}, ${SUMS} FROM stat_buckets b ${joinThreads} ${z?.sql ?? ""} ${w} ${g.group}`, p.values)
}

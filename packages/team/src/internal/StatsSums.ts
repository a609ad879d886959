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
 * The rollup in range summed by local day, model and tier (`day`); a slot the steps do not place
 * comes back on its own (`raw`, with `day` null) for the report to place. The server groups by UTC
 * day and by which side of each of the zone's cuts the quarter hour lies (`LocalDays.cuts`), plain
 * integer comparisons on the stored quarter hour; the groups, a few per day, are placed here.
 */
export const byDay = async (tx: Session, buckets: Buckets, steps: LocalDays.Steps): Promise<ReadonlyArray<Sums>> => {
  const cuts = LocalDays.cuts(steps)
  const place = LocalDays.placer(steps)
  const p = new Params()
  const side = cuts.length === 0 ? "0" : cuts.map((c) => `(b.quarter >= ${p.add(c)})::int`).join(" + ")
  const w = where([buckets.machine.clause(p, "b.machine", "b.slot"), buckets.range(p, "b.slot")])
  const groups = await tx.query<Sums>(
    `SELECT left(b.slot, 10) AS utc, CASE WHEN b.quarter IS NULL THEN b.slot END AS raw, ${side} AS side, b.model, b.tier, ${SUMS}
     FROM stat_rollup b ${w} GROUP BY 1, 2, 3, b.model, b.tier`,
    p.values
  )
  const out: Array<Sums> = []
  const unplaced = new Set<string>()
  for (const g of groups) {
    if (g["raw"] !== null) {
      out.push({ ...g, day: null })
      continue
    }
    const side = Number(g["side"])
    const day = place(String(g["utc"]), side === 0 ? 0 : (cuts[side - 1] ?? 0))
    if (day === undefined) unplaced.add(String(g["utc"]))
    else out.push({ ...g, day })
  }
  if (unplaced.size === 0) return out
  // Days that are no real date (a 02-30): their slots go back one by one, as the local report reads them.
  const q = new Params()
  const rest = where([buckets.machine.clause(q, "b.machine", "b.slot"), buckets.range(q, "b.slot"), `left(b.slot, 10) = ANY(${q.add([...unplaced])}::text[])`])
  const slots = await tx.query<Sums>(`SELECT b.slot AS raw, b.model, b.tier, ${SUMS} FROM stat_rollup b ${rest} GROUP BY 1, b.model, b.tier`, q.values)
  return [...out, ...slots.map((r) => ({ ...r, day: null }))]
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

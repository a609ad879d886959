/**
 * Keeping `stat_rollup` equal to the sums of `stat_buckets` per machine, UTC quarter hour, model
 * and tier: a rebuilt thread's new buckets are added and its old ones taken away, in the
 * transaction that rebuilds it. Additions commute, so concurrent pushes of one machine sum
 * correctly (a recomputation from the buckets would miss what the other has not committed yet).
 */
import type * as StatsFile from "@rollout/reduce/StatsFile"
import type { Session } from "../TeamDatabase.js"

export const SUM_COLUMNS = ["input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens", "turns", "tool_calls", "errors"]

/** A bucket's figures in `SUM_COLUMNS` order. */
export const figures = (b: StatsFile.Bucket): Array<number> => [
  b.tokens.input,
  b.tokens.cachedInput,
  b.tokens.output,
  b.tokens.reasoningOutput,
  b.tokens.total,
  b.turns,
  b.toolCalls,
  b.errors
]

export type Delta = ReturnType<typeof delta>

/** The rollup's change: every new bucket added, every old one taken away, per (slot, model, tier), in one sorted order. */
export const delta = (added: ReadonlyArray<readonly [string, string, string, StatsFile.Bucket]>, gone: ReadonlyArray<Record<string, unknown>>) => {
  const by = new Map<string, Array<number>>()
  const put = (slot: string, model: string, tier: string, n: number, values: ReadonlyArray<number>) => {
    const k = `${slot}\u0000${model}\u0000${tier}`
    const acc = by.get(k) ?? [0, 0, 0, 0, 0, 0, 0, 0, 0]
    acc[0] = (acc[0] ?? 0) + n
    values.forEach((v, i) => {
      acc[i + 1] = (acc[i + 1] ?? 0) + v
    })
    by.set(k, acc)
  }
  for (const [slot, model, tier, b] of added) put(slot, model, tier, 1, figures(b))
  for (const g of gone)
    put(
      String(g["slot"]),
      String(g["model"]),
      String(g["tier"]),
      -Number(g["n"]),
      SUM_COLUMNS.map((c) => -Number(g[c]))
    )
  const keys = [...by.keys()].sort()
  return { keys: keys.map((k) => k.split("\u0000")), values: keys.map((k) => by.get(k) as Array<number>) }
}

const UNNEST_SUMS = SUM_COLUMNS.map((_, i) => `$${i + 6}::bigint[]`).join(", ")

/**
 * Adds a delta to the rollup in one statement whose rows are taken in one sorted order, so that
 * two transactions of one machine cannot deadlock on them; rows left summing no bucket are deleted.
 */
export const apply = async (tx: Session, machine: string, d: Delta): Promise<void> => {
  if (d.keys.length === 0) return
  const col = (i: number) => d.values.map((v) => v[i] ?? 0)
  const keyCols = [0, 1, 2].map((i) => d.keys.map((k) => k[i] ?? ""))
  await tx.query(
    `INSERT INTO stat_rollup AS r (machine, slot, model, tier, buckets, ${SUM_COLUMNS.join(", ")})
     SELECT $1, u.slot, u.model, u.tier, u.buckets, ${SUM_COLUMNS.map((c) => `u.${c}`).join(", ")}
     FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], ${UNNEST_SUMS}) WITH ORDINALITY
       AS u(slot, model, tier, buckets, ${SUM_COLUMNS.join(", ")}, ord)
     ORDER BY u.ord
     ON CONFLICT (machine, slot, model, tier) DO UPDATE SET buckets = r.buckets + excluded.buckets, ${SUM_COLUMNS.map((c) => `${c} = r.${c} + excluded.${c}`).join(", ")}`,
    [machine, ...keyCols, col(0), ...SUM_COLUMNS.map((_, i) => col(i + 1))]
  )
  const emptied = d.keys.filter((_, i) => (d.values[i]?.[0] ?? 0) < 0)
  if (emptied.length > 0)
    await tx.query(
      `DELETE FROM stat_rollup r USING unnest($2::text[], $3::text[], $4::text[]) AS u(slot, model, tier)
       WHERE r.machine = $1 AND r.slot = u.slot AND r.model = u.model AND r.tier = u.tier AND r.buckets = 0`,
      [machine, ...[0, 1, 2].map((i) => emptied.map((k) => k[i] ?? ""))]
    )
}

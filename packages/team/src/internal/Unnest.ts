/**
 * Many rows in one statement: each column's values as one array parameter, turned back into rows
 * by `unnest` on the server. A batch of files costs one round trip per table, not one per row.
 */

/** Columns as `unnest` arrays from `$first` on: the SQL and the arrays. */
export const rows = (columns: ReadonlyArray<readonly [string, string]>, values: ReadonlyArray<ReadonlyArray<unknown>>, first: number) => ({
  sql: `unnest(${columns.map(([, type], i) => `$${first + i}::${type}[]`).join(", ")})`,
  params: columns.map((_, i) => values.map((r) => r[i]))
})

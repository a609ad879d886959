/**
 * A table for a terminal of a given width: the columns that have room, by priority (priority 0
 * always shows), each as wide as its widest cell, and one flexible column that takes the room
 * left, its cells clipped with an ellipsis. Without a width (a pipe) every column shows. Cells
 * must already be safe for a terminal (`Terminal.field`). It formats; it knows no command.
 */

export interface Column<R> {
  readonly header: string
  /** The header where the column is narrower than `header`. */
  readonly short?: string
  readonly cell: (row: R) => string
  readonly right?: boolean
  /** Lower shows first when room is short; 0 always shows. */
  readonly priority: number
  /** A column that takes the room left, between these widths. */
  readonly flex?: { readonly min: number; readonly max: number }
}

const GAP = 2

/** One line, whitespace runs folded, at most `max` characters. */
export const clip = (s: string, max: number): string => {
  const one = s.replace(/\s+/g, " ").trim()
  return one.length > max ? `${one.slice(0, Math.max(0, max - 1)).trimEnd()}…` : one
}

/** The columns that fit `width`, by priority, each with its width; the flexible one takes what is left. */
const layout = <R>(cols: ReadonlyArray<Column<R>>, cells: ReadonlyArray<ReadonlyArray<string>>, width: number) => {
  const natural = cols.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? "").length)))
  const want = (i: number) => {
    const f = cols[i]?.flex
    return f === undefined ? (natural[i] ?? 0) : Math.min(f.max, Math.max(f.min, natural[i] ?? 0))
  }
  const order = cols.map((_, i) => i).sort((a, b) => (cols[a]?.priority ?? 0) - (cols[b]?.priority ?? 0))
  const shown = new Set<number>()
  let used = -GAP
  for (const i of order) {
    const c = cols[i] as Column<R>
    const need = (c.flex?.min ?? want(i)) + GAP
    if (c.priority > 0 && used + need > width) continue
    shown.add(i)
    used += need
  }
  const widths = cols.map((c, i) => (c.flex === undefined ? want(i) : Math.max(c.flex.min, Math.min(want(i), width - used + c.flex.min))))
  return { shown: [...shown].sort((a, b) => a - b), widths }
}

/** The header line and one line per row, fitted to `width` (undefined: no limit). */
export const render = <R>(cols: ReadonlyArray<Column<R>>, rows: ReadonlyArray<R>, width: number | undefined): Array<string> => {
  const cells = rows.map((r) => cols.map((c) => c.cell(r)))
  const { shown, widths } = layout(cols, cells, width ?? Number.POSITIVE_INFINITY)
  const line = (r: ReadonlyArray<string>, header = false) =>
    shown
      .map((i) => {
        const c = cols[i] as Column<R>
        const w = widths[i] ?? 0
        const text = header && c.short !== undefined && c.header.length > w ? c.short : (r[i] ?? "")
        const cell = c.flex === undefined ? text : clip(text, w)
        return c.right === true ? cell.padStart(w) : cell.padEnd(w)
      })
      .join(" ".repeat(GAP))
      .trimEnd()
  return [
    line(
      cols.map((c) => c.header),
      true
    ),
    ...cells.map((r) => line(r))
  ]
}

/**
 * The human table of `rollout ls`: one row per thread, with as many columns as the terminal has
 * room for. The time and the id always show (the id is what every other command takes); then, by
 * priority, the name or first message, the size on disk, turns, tokens, what `rollout trim` would
 * free, model, source and cwd. On a pipe every column shows. Not the `--json` contract.
 */
import type * as ThreadList from "@rollout/store/ThreadList"
import * as Terminal from "@rollout/view/Terminal"
import { bytes } from "./InfoCommand.js"
import * as ResumeHint from "./ResumeHint.js"

/** A listed thread: the team store's rows have no sizes, the local index's have them all. */
export type Row = ThreadList.ThreadSummary & Partial<ThreadList.Sizes> & { readonly trimFreesBytes?: number | null }

export interface Options {
  /** Which time the first column shows. */
  readonly time: "created" | "updated"
  /** The terminal's width, or undefined on a pipe (no limit). */
  readonly width: number | undefined
  /** The command that shows the next page, when there is one. */
  readonly more: string | undefined
}

interface Column {
  readonly header: string
  /** The header where the column is narrower than `header`. */
  readonly short?: string
  readonly cell: (t: Row) => string
  readonly right?: boolean
  /** Lower shows first when room is short; the time and the id always show. */
  readonly priority: number
  /** A column that takes the room left, between these widths. */
  readonly flex?: { readonly min: number; readonly max: number }
}

const clip = (s: string, max: number) => {
  const one = s.replace(/\s+/g, " ").trim()
  return one.length > max ? `${one.slice(0, Math.max(0, max - 1))}…` : one
}

const when = (seconds: number) => new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16)

/** The cwd for a narrow column: its last two folders. */
const shortCwd = (cwd: string) => {
  const parts = cwd.split("/").filter((p) => p !== "")
  return parts.length <= 2 ? cwd : `…/${parts.slice(-2).join("/")}`
}

/** Token counts in three or four characters: 999, 12.3k, 456k, 7.8M. */
export const count = (n: number): string => {
  const scaled = (v: number, unit: string) => `${v < 100 ? v.toFixed(1) : Math.round(v).toString()}${unit}`
  if (n < 1000) return String(n)
  if (n < 999_500) return scaled(n / 1e3, "k")
  if (n < 999_500_000) return scaled(n / 1e6, "M")
  return scaled(n / 1e9, "G")
}

const columns = (time: Options["time"]): ReadonlyArray<Column> => [
  { header: `${time} (UTC)`, cell: (t) => when(time === "created" ? t.createdAt : t.updatedAt), priority: 0 },
  { header: "thread", cell: (t) => t.id, priority: 0 },
  { header: "turns", cell: (t) => (t.turns === undefined ? "-" : String(t.turns)), right: true, priority: 3 },
  { header: "tokens", cell: (t) => (t.tokens === undefined || t.tokens === null ? "-" : count(t.tokens.total)), right: true, priority: 4 },
  { header: "size", cell: (t) => (t.bytes === undefined ? "-" : bytes(t.bytes)), right: true, priority: 2 },
  {
    header: "trim frees",
    cell: (t) => (t.trimFreesBytes === undefined || t.trimFreesBytes === null ? "-" : bytes(t.trimFreesBytes)),
    right: true,
    priority: 5
  },
  { header: "model", cell: (t) => t.model ?? "", priority: 6 },
  { header: "source", cell: (t) => t.source, priority: 8 },
  { header: "cwd", cell: (t) => shortCwd(t.cwd), priority: 7 },
  {
    header: "name or first message",
    short: "name",
    cell: (t) => t.name ?? (t.preview === "" ? "(no message yet)" : t.preview),
    priority: 1,
    flex: { min: 12, max: 50 }
  }
]

const GAP = 2

/** The columns that fit `width`, by priority, each with its width; the flexible one takes what is left. */
const layout = (cols: ReadonlyArray<Column>, cells: ReadonlyArray<ReadonlyArray<string>>, width: number) => {
  const natural = cols.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? "").length)))
  const want = (i: number) => {
    const f = cols[i]?.flex
    return f === undefined ? (natural[i] ?? 0) : Math.min(f.max, Math.max(f.min, natural[i] ?? 0))
  }
  const order = cols.map((_, i) => i).sort((a, b) => (cols[a]?.priority ?? 0) - (cols[b]?.priority ?? 0))
  const shown = new Set<number>()
  let used = -GAP
  for (const i of order) {
    const c = cols[i] as Column
    const need = (c.flex?.min ?? want(i)) + GAP
    if (c.priority > 0 && used + need > width) continue
    shown.add(i)
    used += need
  }
  const widths = cols.map((c, i) => (c.flex === undefined ? want(i) : Math.max(c.flex.min, Math.min(want(i), width - used + c.flex.min))))
  return { shown: [...shown].sort((a, b) => a - b), widths }
}

export const render = (data: ReadonlyArray<Row>, options: Options): string => {
  if (data.length === 0) return "no threads\n"
  const cols = columns(options.time)
  const cells = data.map((t) => cols.map((c) => Terminal.field(c.cell(t))))
  const { shown, widths } = layout(cols, cells, options.width ?? Number.POSITIVE_INFINITY)
  const line = (r: ReadonlyArray<string>, header = false) =>
    shown
      .map((i) => {
        const c = cols[i] as Column
        const w = widths[i] ?? 0
        const text = header && c.short !== undefined && c.header.length > w ? c.short : (r[i] ?? "")
        const cell = c.flex === undefined ? text : clip(text, w)
        return c.right === true ? cell.padStart(w) : cell.padEnd(w)
      })
      .join(" ".repeat(GAP))
      .trimEnd()
  const first = data[0] as Row
  const hint = `resume in Codex: ${Terminal.field(ResumeHint.line(first.id, first.cwd))}`
  const note = "  (--json gives each thread's resumeCommand)"
  const resume = `\n${hint.length + note.length <= (options.width ?? Number.POSITIVE_INFINITY) ? `${hint}${note}` : hint}\n`
  const more = options.more === undefined ? "" : `\nmore: ${Terminal.field(options.more)}\n`
  return `${[
    line(
      cols.map((c) => c.header),
      true
    ),
    ...cells.map((r) => line(r))
  ].join("\n")}\n${resume}${more}`
}

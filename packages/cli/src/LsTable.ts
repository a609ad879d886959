/**
 * The human table of `rollout ls`: one row per thread, with as many columns as the terminal has
 * room for. The time and the id always show (the id is what every other command takes); then, by
 * priority, the name or first message, the size on disk, turns, tokens, what `rollout trim` would
 * free, model, source and cwd. On a pipe every column shows. Not the `--json` contract.
 */
import type * as ThreadList from "@rollout/store/ThreadList"
import * as Terminal from "@rollout/view/Terminal"
import * as ByteSize from "@rollout/view/ByteSize"
import * as ResumeHint from "./ResumeHint.js"
import * as TableLayout from "./TableLayout.js"

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

const columns = (time: Options["time"]): ReadonlyArray<TableLayout.Column<Row>> => [
  { header: `${time} (UTC)`, cell: (t) => when(time === "created" ? t.createdAt : t.updatedAt), priority: 0 },
  { header: "thread", cell: (t) => t.id, priority: 0 },
  { header: "turns", cell: (t) => (t.turns === undefined ? "-" : String(t.turns)), right: true, priority: 3 },
  { header: "tokens", cell: (t) => (t.tokens === undefined || t.tokens === null ? "-" : count(t.tokens.total)), right: true, priority: 4 },
  { header: "size", cell: (t) => (t.bytes === undefined ? "-" : ByteSize.text(t.bytes)), right: true, priority: 2 },
  {
    header: "trim frees",
    cell: (t) => (t.trimFreesBytes === undefined || t.trimFreesBytes === null ? "-" : ByteSize.text(t.trimFreesBytes)),
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

export const render = (data: ReadonlyArray<Row>, options: Options): string => {
  if (data.length === 0) return "no threads\n"
  const safe = columns(options.time).map((c) => ({ ...c, cell: (t: Row) => Terminal.field(c.cell(t)) }))
  const lines = TableLayout.render(safe, data, options.width)
  const first = data[0] as Row
  const hint = `resume in Codex: ${Terminal.field(ResumeHint.line(first.id, first.cwd))}`
  const note = "  (--json gives each thread's resumeCommand)"
  const resume = `\n${hint.length + note.length <= (options.width ?? Number.POSITIVE_INFINITY) ? `${hint}${note}` : hint}\n`
  const more = options.more === undefined ? "" : `\nmore: ${Terminal.field(options.more)}\n`
  return `${lines.join("\n")}\n${resume}${more}`
}

/**
 * How `rollout stats` prints a report for people: aligned tables (rows, then tools, turns, errors,
 * sub-agents, diagnostics) and CSV (the rows only, one header line, RFC 4180 quoting). The JSON
 * document is the contract and is printed by the command itself; this module only formats.
 */
import type * as StatsReport from "@rollout/reduce/StatsReport"
import * as CsvCell from "./internal/CsvCell.js"
import * as Terminal from "./Terminal.js"

const int = (n: number): string => n.toLocaleString("en-US")

/** 1234567 → `1.23M`: short token counts for tables (CSV and JSON keep exact integers). */
export const short = (n: number): string => {
  const abs = Math.abs(n)
  const trim = (s: string) => s.replace(/\.0+$/, "")
  if (abs >= 1e9) return `${trim((n / 1e9).toFixed(2))}B`
  if (abs >= 1e6) return `${trim((n / 1e6).toFixed(2))}M`
  if (abs >= 1e4) return `${trim((n / 1e3).toFixed(1))}k`
  return String(n)
}

const ms = (n: number | null): string => {
  if (n === null) return "–"
  if (n < 1000) return `${n}ms`
  if (n < 60_000) return `${(n / 1000).toFixed(1)}s`
  return `${Math.floor(n / 60_000)}m${String(Math.round((n % 60_000) / 1000)).padStart(2, "0")}s`
}

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, indent = "  "): Array<string> => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (r: ReadonlyArray<string>) =>
    indent +
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd()
  return [line(header), ...rows.map(line)]
}

const cell = (v: StatsReport.Row[string] | undefined): string =>
  v === null || v === undefined ? "" : typeof v === "number" ? short(v) : typeof v === "string" ? Terminal.field(v) : v.map(Terminal.field).join(" ")

/** Dollars for tables: `$12.34`, cents below a dollar, `–` when some tokens have no price. */
export const usd = (v: number | null | undefined): string => {
  if (v === null || v === undefined) return "–"
  if (v >= 1000) return `$${Math.round(v).toLocaleString("en-US")}`
  return v >= 0.01 || v === 0 ? `$${v.toFixed(2)}` : "<$0.01"
}

const costCell = (v: StatsReport.Row[string] | undefined): string => usd(typeof v === "number" ? v : null)

export const human = (r: StatsReport.Report): string => {
  const t = r.totals
  const out: Array<string> = []
  const keyHeader = r.by === "session" ? "session" : r.by
  const header = [keyHeader, "input", "cached", "output", "reasoning", "total", "cost", "turns", "tools", "errors"]
  const rows = r.rows.map((row) => [
    cell(row[r.by]) + (r.by === "session" && row["forkedFromId"] !== null ? " (fork)" : ""),
    cell(row["inputTokens"]),
    cell(row["cachedInputTokens"]),
    cell(row["outputTokens"]),
    cell(row["reasoningOutputTokens"]),
    cell(row["totalTokens"]),
    costCell(row["costUSD"]),
    cell(row["turns"]),
    cell(row["toolCalls"]),
    cell(row["errors"])
  ])
  rows.push([
    "total",
    short(t.tokens.input),
    short(t.tokens.cachedInput),
    short(t.tokens.output),
    short(t.tokens.reasoningOutput),
    short(t.tokens.total),
    usd(t.costUSD),
    short(t.turns.started),
    short(t.tools.reduce((n, x) => n + x.calls, 0)),
    short(t.errors.reduce((n, x) => n + x.count, 0))
  ])
  const w = t.window
  // Local days of the zone (the UTC times of the first and last lines belong to another calendar).
  const first = r.days[0]?.day ?? "–"
  const last = r.days[r.days.length - 1]?.day ?? "–"
  const span = w.since === null && w.until === null ? `${first} to ${last}` : `${w.since ?? "…"} to ${w.until ?? "…"}`
  out.push(`Tokens by ${r.by} (${int(t.files)} files, ${int(t.threads)} threads, ${int(t.forks)} forks; ${span}, ${w.timezone})`)
  out.push(...table(header, rows))
  if (t.unpricedModels.length > 0) {
    const known = `priced part ${usd(t.knownCostUSD)}`
    out.push(`  (no price for ${t.unpricedModels.map((u) => (u.tier === null ? u.model : `${u.model} (${u.tier})`)).join(", ")}: cost left blank; ${known})`)
  }
  if (t.copiedLines > 0) out.push(`  (${int(t.copiedLines)} lines of forks' copied parent history were read and not counted again)`)

  out.push(
    "",
    `Turns: ${int(t.turns.started)} started, ${int(t.turns.completed)} completed, ${int(t.turns.failed)} failed, ${int(t.turns.aborted)} aborted; duration avg ${ms(t.turns.avgMs)}, max ${ms(t.turns.timed > 0 ? t.turns.maxMs : null)}`
  )

  if (t.tools.length > 0) {
    out.push("", "Tool calls")
    out.push(
      ...table(
        ["tool", "calls", "failed", "avg", "max"],
        t.tools.map((x) => [x.tool, int(x.calls), int(x.failures), ms(x.avgMs), ms(x.timedCalls > 0 ? x.maxMs : null)])
      )
    )
  }
  if (t.errors.length > 0) {
    out.push("", "Errors (by codex_error_info)")
    out.push(
      ...table(
        ["error", "count"],
        t.errors.map((e) => [e.codexErrorInfo, int(e.count)])
      )
    )
  }
  if (t.streamRetries.length > 0) out.push("", `Stream retries: ${t.streamRetries.map((e) => `${e.codexErrorInfo} ${int(e.count)}`).join(", ")}`)
  const sa = t.subAgents
  const activity = Object.entries(sa.activity)
  if (sa.threads > 0 || activity.length > 0) {
    out.push(
      "",
      `Sub-agents: ${int(sa.threads)} threads, ${short(sa.tokens.total)} tokens, ${int(sa.turns)} turns, ${int(sa.toolCalls)} tool calls` +
        (activity.length > 0 ? `; activity ${activity.map(([k, v]) => `${k} ${int(v)}`).join(", ")}` : "")
    )
  }
  if (r.diagnostics.length > 0) {
    out.push("", `Diagnostics: ${int(r.diagnostics.length)} (lines or files that could not be fully read; --json lists all)`)
    for (const d of r.diagnostics.slice(0, 20)) out.push(`  ${d.path}${d.line > 0 ? `:${d.line}` : ""}  ${d.kind}  ${d.message}`)
    if (r.diagnostics.length > 20) out.push(`  … and ${int(r.diagnostics.length - 20)} more`)
  }
  // Tool and error names come from rollouts: no control character of theirs reaches the terminal.
  return Terminal.text(`${out.join("\n")}\n`)
}

/** The rows as CSV, exact integers, one header line. */
export const csv = (r: StatsReport.Report): string => {
  const first = r.rows[0]
  const columns =
    first === undefined
      ? [r.by, "inputTokens", "cachedInputTokens", "outputTokens", "reasoningOutputTokens", "totalTokens", "turns", "toolCalls", "errors", "costUSD", "models"]
      : Object.keys(first)
  const value = (v: StatsReport.Row[string] | undefined) => (Array.isArray(v) ? v.join(" ") : (v as string | number | null | undefined))
  return `${[columns.map(CsvCell.cell).join(","), ...r.rows.map((row) => columns.map((c) => CsvCell.cell(value(row[c]))).join(","))].join("\n")}\n`
}

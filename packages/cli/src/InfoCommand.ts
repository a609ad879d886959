/**
 * `rollout info PATH...`: a thread at a glance — one line per thread for several rollouts, a short
 * summary for one, from `@rollout/query/ThreadInfo` (a fold over every line of each file), with
 * each file's size and how much of it `rollout trim` would free, so the threads that hurt stand out.
 */
import { Effect } from "effect"
import { Command } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import * as ThreadInfo from "@rollout/query/ThreadInfo"
import * as Terminal from "@rollout/view/Terminal"
import * as ByteSize from "@rollout/view/ByteSize"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"
import * as ResumeHint from "./ResumeHint.js"
import * as PathArguments from "./PathArguments.js"
import * as TableLayout from "./TableLayout.js"

const paths = PathArguments.argument("A rollout file, a folder or Codex home (every rollout in it), or a thread id or its unique prefix.")

type Info = ThreadInfo.ThreadInfo

export const command = Command.make("info", { paths, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const output = yield* Output
    const { paths: found, missing, skipped } = yield* PathArguments.expand(PathArguments.orHome(args.paths, args.codexHome), args.codexHome)
    for (const m of missing) {
      output.stderr(`rollout info: ${m.message}\n`)
      output.fail(2)
    }
    for (const s of skipped) output.stderr(`rollout info: ${Terminal.field(CodexHome.line(s))}\n`)
    const infos: Array<Info> = []
    for (const path of found) {
      const info = yield* ThreadInfo.read(path, args.codexHome)
      // A file with no session_meta is no thread: saying so beats a row of question marks.
      if (info.id === null) {
        // A file we may not read is unreadable input (exit 2), not a file that is no rollout (exit 1).
        const unreadable = yield* ThreadArgument.readFailure(path)
        output.stderr(`rollout info: ${unreadable ?? `${path} is not a rollout: no session_meta line (rollout validate ${path} says more)`}\n`)
        output.fail(unreadable === undefined ? 1 : 2)
      } else infos.push(info)
    }
    if (infos.length === 0 && (missing.length > 0 || found.length > 0)) return
    if (args.json) output.stdout(`${JSON.stringify({ threads: infos.map((i) => ({ ...i, resumeCommand: ResumeHint.line(i.id ?? "", i.cwd) })) })}\n`)
    else if (infos.length === 1 && infos[0] !== undefined) output.stdout(detail(infos[0]))
    else if (infos.length > 0) output.stdout(table(infos, output.size()?.columns))
  })
).pipe(
  Command.withShortDescription("Summarise threads: start, model, turns, first prompt, tokens, size"),
  Command.withDescription(
    "Summarise threads: id, start, cwd, model, turns and how they ended, first prompt, token totals, the file's size and how much of it `rollout trim` would free (--json: bytes, trimFreesBytes, null when it cannot be trimmed)."
  ),
  Command.withExamples([
    { command: "rollout info ~/.codex", description: "one line per thread in a Codex home" },
    { command: "rollout info 0198f2a4-5b6c-7d8e-9f00-112233445566", description: "one thread, in detail" }
  ])
)

const n = (x: number) => x.toLocaleString("en-US")
const clip = (s: string | null, max: number) => {
  if (s === null) return ""
  const one = s.replace(/\s+/g, " ").trim()
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}
const day = (ts: string | null) => (ts === null ? "?" : ts.replace("T", " ").slice(0, 16))

const size = (i: Info): string => {
  if (i.trimFreesBytes === null) return `${ByteSize.text(i.bytes)} (rollout trim cannot shrink it)`
  const share = i.bytes === 0 ? 0 : Math.round((100 * i.trimFreesBytes) / i.bytes)
  return `${ByteSize.text(i.bytes)}, rollout trim would free ${ByteSize.text(i.trimFreesBytes)} (${share} %)`
}

const detail = (i: Info): string => {
  const turns = `${i.turns} (${i.completedTurns} completed, ${i.abortedTurns} interrupted, ${i.failedTurns} failed)`
  const rows: Array<[string, string]> = [
    ["thread", `${i.id ?? "?"}${i.forkedFromId === null ? "" : `  (fork of ${i.forkedFromId})`}`],
    ["file", i.path],
    ["started", `${i.startedAt ?? "?"} by ${i.originator ?? "?"} ${i.cliVersion ?? ""} (${i.source ?? "?"}), ${i.historyMode} history`],
    ["cwd", i.cwd ?? "?"],
    ["model", `${i.model ?? "?"} via ${i.modelProvider ?? "?"}`],
    ["turns", `${turns}${i.compactions > 0 ? `, ${i.compactions} compaction${i.compactions === 1 ? "" : "s"}` : ""}`],
    ["prompt", clip(i.firstPrompt, 100)],
    ["answer", clip(i.lastAgentMessage, 100)],
    [
      "tokens",
      i.tokens === null
        ? "none recorded"
        : `${n(i.tokens.total)} total: ${n(i.tokens.input)} input (${n(i.tokens.cachedInput)} cached), ${n(i.tokens.output)} output (${n(i.tokens.reasoningOutput)} reasoning)`
    ],
    ["size", size(i)],
    ["lines", `${n(i.lines)} read${i.skippedLines > 0 ? `, ${n(i.skippedLines)} skipped (see rollout validate)` : ""}`],
    ["resume", ResumeHint.line(i.id ?? "", i.cwd)]
  ]
  return `${rows.map(([k, v]) => `${k.padEnd(8)} ${Terminal.field(v)}`).join("\n")}\n`
}

const columns: ReadonlyArray<TableLayout.Column<Info>> = [
  { header: "started (UTC)", cell: (i) => day(i.startedAt), priority: 0 },
  { header: "thread", cell: (i) => i.id ?? "?", priority: 0 },
  { header: "turns", cell: (i) => String(i.turns), right: true, priority: 4 },
  { header: "history", cell: (i) => i.historyMode, priority: 6 },
  { header: "tokens", cell: (i) => (i.tokens === null ? "-" : n(i.tokens.total)), right: true, priority: 5 },
  { header: "size", cell: (i) => ByteSize.text(i.bytes), right: true, priority: 2 },
  { header: "trim frees", cell: (i) => (i.trimFreesBytes === null ? "-" : ByteSize.text(i.trimFreesBytes)), right: true, priority: 3 },
  { header: "first prompt", short: "prompt", cell: (i) => i.firstPrompt ?? "", priority: 1, flex: { min: 12, max: 50 } }
]

/** One line per file, with the columns a terminal of `width` has room for (all of them on a pipe). */
const table = (infos: ReadonlyArray<Info>, width: number | undefined): string => {
  const safe = columns.map((c) => ({ ...c, cell: (i: Info) => Terminal.field(c.cell(i)) }))
  const threads = new Set(infos.map((i) => i.id ?? i.path)).size
  const count = threads === infos.length ? `${threads} thread${threads === 1 ? "" : "s"}` : `${infos.length} rollout files of ${threads} threads`
  return `${[...TableLayout.render(safe, infos, width), "", count].join("\n")}\n`
}

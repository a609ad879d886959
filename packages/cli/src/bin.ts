#!/usr/bin/env node
// The only module that touches `process`: hand the real streams to the CLI and exit with its code.
// A bare `--version`, and the common `stats`, `search`, `ls`, `history --json`, `index` and
// `validate` command lines (`StatsQuick`, `SearchQuick`, `LsQuick`, `HistoryQuick`, `IndexQuick`,
// `ValidateQuick`), are answered without loading the CLI framework.
// No top-level await: the bundle of this file is CommonJS (see rolldown.config.mjs).
import * as Terminal from "@rollout/view/Terminal"
import * as Crash from "./Crash.js"
import type * as QuickArgs from "./QuickArgs.js"
import * as StatsArgs from "./StatsArgs.js"
import * as Version from "./Version.js"

const argv = process.argv.slice(2)
const debug = process.env["ROLLOUT_DEBUG"] === "1"

// A reader that stops reading (`| head -1`) closes the pipe: that is a normal end for a command
// line tool, as for git or ripgrep, so it ends quietly with status 0 instead of a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
  process.stderr.write(Crash.line(error, debug))
  process.exit(1)
})
// With stderr gone there is nobody left to tell; the command's own status still stands.
process.stderr.on("error", () => {})
// Whatever escapes an Effect (a callback of a stream or worker) still ends as one line, not a stack.
const crash = (error: unknown) => {
  process.stderr.write(Crash.line(error, debug))
  process.exit(1)
}
process.on("uncaughtException", crash)
process.on("unhandledRejection", crash)

/** Every command's stderr: messages and diagnostics, an overlong word in them cut (`Terminal.clipRuns`). */
function stderr(text: string): void {
  process.stderr.write(Terminal.clipRuns(text))
}

/** The full CLI: parses `argv` with the framework and runs the command it names. */
const full = () =>
  Promise.all([import("./Cli.js"), import("./Input.js"), import("./Output.js")]).then(async ([{ main }, Input, Output]) => {
    const output = Output.make(
      (text) => process.stdout.write(text),
      stderr,
      process.stdout.isTTY === true,
      process.stderr.isTTY === true,
      () => (process.stdout.isTTY === true ? { columns: process.stdout.columns, rows: process.stdout.rows } : undefined),
      // https://no-color.org: a NO_COLOR that is set and not empty turns colour off.
      process.stdout.isTTY === true && (process.env["NO_COLOR"] ?? "") === ""
    )
    process.exitCode = await main(argv, output, undefined, Input.terminal(process.stdin), debug)
  })

/** What the quick paths print through: the process's streams. */
const io: QuickArgs.Io = {
  stdout: (text) => process.stdout.write(text),
  stderr,
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stdout.isTTY === true ? process.stdout.columns : undefined
}

/** A command's quick path: the command lines it serves, and its answer (undefined: the full CLI's). */
interface Quick<A> {
  readonly parse: (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv) => A | undefined
  readonly run: (args: A, io: QuickArgs.Io) => Promise<number | undefined>
}

const quickly = async <A>(quick: Quick<A>): Promise<void> => {
  const args = quick.parse(argv, process.env)
  const code = args === undefined ? undefined : await quick.run(args, io)
  if (code === undefined) await full()
  else process.exitCode = code
}

// The plain `search`, `ls` (first page), `index` and `validate` command lines are answered without
// the framework; each quick path hands back to the full CLI whatever it does not serve.
const quickPaths: Partial<Record<string, () => Promise<void>>> = {
  search: () => import("./SearchQuick.js").then(quickly),
  ls: () => import("./LsQuick.js").then(quickly),
  index: () => import("./IndexQuick.js").then(quickly),
  validate: () => import("./ValidateQuick.js").then(quickly)
}
const quickPath = quickPaths[argv[0] ?? ""]

// The common `stats` command lines are answered without the framework (`StatsQuick`), which
// hands back to the full CLI whatever it does not serve.
const stats = StatsArgs.parse(argv, process.env)

if (Version.only(argv)) {
  process.stdout.write(Version.line({ env: process.env, stdoutIsTerminal: process.stdout.isTTY === true }))
} else if (stats !== undefined) {
  void import("./StatsQuick.js").then(async (StatsQuick) => {
    const code = await StatsQuick.run(stats, io, () => StatsArgs.machineZone(process.env))
    if (code === undefined) await full()
    else process.exitCode = code
  })
} else if (argv[0] === "history") {
  // The plain `history THREAD --json` command line is answered without the framework
  // (`HistoryQuick`), which hands back to the full CLI whatever it does not serve.
  void import("./HistoryQuick.js").then(async (HistoryQuick) => {
    const history = HistoryQuick.parse(argv, process.env)
    if (history === undefined) return full()
    process.exitCode = await HistoryQuick.run(history, io, debug)
  })
} else if (quickPath !== undefined) void quickPath()
else void full()

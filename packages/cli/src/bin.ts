#!/usr/bin/env node
// The only module that touches `process`: hand the real streams to the CLI and exit with its code.
import { main } from "./Cli.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import * as Crash from "./Crash.js"

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

const output = Output.make(
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
  process.stdout.isTTY === true,
  process.stderr.isTTY === true
)
process.exitCode = await main(process.argv.slice(2), output, undefined, Input.terminal(process.stdin), debug)

#!/usr/bin/env node
// The only module that touches `process`: hand the real streams to the CLI and exit with its code.
import { main } from "./Cli.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"

const output = Output.make(
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
  process.stdout.isTTY === true
)
process.exitCode = await main(process.argv.slice(2), output, undefined, Input.terminal(process.stdin))

#!/usr/bin/env node
// The only module that touches `process`: hand the real streams to the CLI and exit with its code.
// A bare `--version` is answered before the CLI (and the framework under it) is even loaded. No
// top-level await: the bundle of this file is CommonJS (see rolldown.config.mjs).
import * as Version from "./Version.js"

const argv = process.argv.slice(2)
if (Version.only(argv)) {
  process.stdout.write(Version.line({ env: process.env, stdoutIsTerminal: process.stdout.isTTY === true }))
} else {
  void Promise.all([import("./Cli.js"), import("./Input.js"), import("./Output.js")]).then(async ([{ main }, Input, Output]) => {
    const output = Output.make(
      (text) => process.stdout.write(text),
      (text) => process.stderr.write(text),
      process.stdout.isTTY === true
    )
    process.exitCode = await main(argv, output, undefined, Input.terminal(process.stdin))
  })
}

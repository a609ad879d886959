// A copy of the sample Codex home in the OS temp folder with its own index file, and an in-process
// run of the CLI that collects what it prints.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"

export const sampleCopy = (): { home: string; index: string } => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-cli-index-"))
  fs.cpSync(path.resolve(import.meta.dirname, "../../../../rollouts"), home, { recursive: true })
  return { home, index: path.join(home, "test-index.sqlite") }
}

export const run = async (...argv: Array<string>) => {
  const output = Output.buffer()
  const code = await main(argv, output)
  return { code, out: output.out(), err: output.err() }
}

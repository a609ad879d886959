// Shared set-up of the CLI end-to-end tests: the repository root, the built `rollout` bin (as
// `npx rollout` runs it) on the sample Codex home in rollouts/, the same command in-process, the
// one or the other by the command line, and the sample home's rollout files.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"

export const root = path.resolve(import.meta.dirname, "../..")
export const bin = path.join(root, "packages/cli/bin/rollout.js")

/** The built bin, run from the repository root with the sample home (rollouts/) as `CODEX_HOME`. */
export const rollout = (...args: Array<string>) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: root,
    maxBuffer: 1 << 30,
    env: { ...process.env, CODEX_HOME: path.join(root, "rollouts") }
  })

/** The same command in-process (the spawned bin costs seconds per run on a loaded machine). */
export const inProcess = async (...args: Array<string>) => {
  const output = Output.buffer()
  const status = await main(args, output)
  return { status, stdout: output.out(), stderr: output.err() }
}

/**
 * The first arguments that bin.ts may answer on a quick path, without the full CLI (each hands the
 * command lines it does not serve to the full CLI); `--version` alone is answered there too.
 */
export const quickCommands: ReadonlySet<string> = new Set(["stats", "search", "ls", "index", "validate", "history", "--version"])

/**
 * `rollout ARGS` through the bin when a quick path may answer it, else in-process: the full CLI's
 * answer and status, which the bin prints and exits with. For tests of an answer, not of the
 * process (its environment, pipes, terminal or exit): those run the bin. In-process the command
 * sees this process's environment, not the sample home as CODEX_HOME: name paths or --codex-home.
 */
export const answer = async (...args: Array<string>): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  quickCommands.has(args[0] ?? "") ? rollout(...args) : await inProcess(...args)

/** Every `rollout-*` file under rollouts/sessions, sorted by path. */
export const sampleFiles = (): Array<string> => {
  const out: Array<string> = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.startsWith("rollout-")) out.push(p)
    }
  }
  walk(path.join(root, "rollouts/sessions"))
  return out.sort()
}

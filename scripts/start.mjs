// `npm start`: the main job on the bundled sample Codex home (rollouts/): list its threads,
// validate every rollout, and summarise one thread looked up by id.
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const home = path.join(root, "rollouts")
const bin = path.join(root, "packages/cli/bin/rollout.js")

const run = (title, args) => {
  console.log(`\n$ rollout ${args.join(" ")}    # ${title}`)
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", cwd: root })
  process.stdout.write(r.stdout)
  return r
}

run("the threads of the sample home", ["info", "rollouts"])
const check = run("every rollout, line by line", ["validate", "rollouts"])
const listing = spawnSync(process.execPath, [bin, "info", "rollouts", "--json"], { encoding: "utf8", cwd: root })
const threads = JSON.parse(listing.stdout).threads
const busiest = threads.reduce((a, b) => (b.turns > a.turns ? b : a))
run("one thread by id, in detail", ["info", busiest.id, "--codex-home", home])
process.exitCode = check.status ?? 1

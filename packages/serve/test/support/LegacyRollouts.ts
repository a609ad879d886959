/**
 * Every committed legacy rollout (fixtures/ and rollouts/, paginated threads left out): the files
 * the turn index and its pages are held to the whole read on.
 */
import * as fs from "node:fs"
import * as path from "node:path"

export const root = path.resolve(__dirname, "../../../..")

const rollouts = (dir: string): Array<string> =>
  fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => path.join(dir, f))

export const files: ReadonlyArray<string> = [...rollouts(path.join(root, "fixtures")), ...rollouts(path.join(root, "rollouts"))].filter(
  (f) => !fs.readFileSync(f, "utf8").includes('"history_mode":"paginated"')
)

/**
 * `rollout index` without the CLI framework: the plain command lines (`index` with `--rebuild`,
 * `--json`, `--quiet`/`-q`, `--codex-home DIR` and `--index FILE`, each once, its value as the
 * next word) are answered here by the same store calls and report (`IndexSummary`) as
 * `IndexCommand`, without loading the framework and the other commands. `parse` declines
 * (`undefined`) help, other or repeated flags, `--flag=value`, an empty `$ROLLOUT_INDEX` and a home
 * that is not a folder; `run` declines when the store fails, so the full command reports it.
 */
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as Store from "@rollout/store/Store"
import * as IndexSummary from "./IndexSummary.js"
import * as QuickArgs from "./QuickArgs.js"
import * as RefreshProgress from "./RefreshProgress.js"

export interface Args {
  readonly home: string
  readonly index: string
  readonly rebuild: boolean
  readonly json: boolean
  readonly quiet: boolean
}

export type Io = Pick<QuickArgs.Io, "stdout" | "stderr" | "stderrIsTTY">

const VALUED = ["codex-home", "index"] as const
const FLAGS = ["rebuild", "json", "quiet"] as const

/** The index command line `argv` (without node and script), if the quick path may serve it. */
export const parse = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args | undefined => {
  const parsed = argv[0] === "index" ? QuickArgs.read(argv, VALUED, FLAGS, false) : undefined
  if (parsed === undefined) return undefined
  const { values, seen } = parsed
  // An empty $ROLLOUT_INDEX is a value the full command's flag takes as given: left to it.
  const index = values.index ?? env["ROLLOUT_INDEX"]
  if (index === "") return undefined
  const home = QuickArgs.home(values["codex-home"], env)
  // Checked first, as the full command does: opening the index would otherwise create a file.
  if (!QuickArgs.isFolder(home)) return undefined
  return { home, index: IndexDatabase.location(index, {}, home), rebuild: seen.has("rebuild"), json: seen.has("json"), quiet: seen.has("quiet") }
}

/** Builds or refreshes the index and prints as `IndexCommand` does; the exit code, or undefined when the store failed. */
export const run = async (args: Args, io: Io, now: () => number = Date.now): Promise<number | undefined> => {
  const started = now()
  let summary: IndexSummary.Summary
  try {
    const store = Store.open({ home: args.home, path: args.index, rebuild: args.rebuild })
    const bar = RefreshProgress.choose(io.stderr, io.stderrIsTTY, args.quiet)
    try {
      summary = await IndexSummary.collect(store, bar)
    } finally {
      bar.finish()
      store.close()
    }
  } catch {
    return undefined
  }
  io.stdout(IndexSummary.render(summary, (now() - started) / 1000, args.json))
  return 0
}

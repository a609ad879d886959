/**
 * `rollout search` without the CLI framework: the plain command lines (`search TEXT` with
 * `--limit N`, `--kind K`, `--archived`, `--json`, `--quiet`/`-q`, `--codex-home DIR` and
 * `--index FILE`, each once, its value as the next word) are answered here by the same store calls
 * and the same rendering (`SearchOutput`) as `SearchCommand`, without loading the framework and
 * the other commands, which are most of a warm search's start-up. `parse` declines (`undefined`)
 * whatever the full command might answer differently: help, `--database`, other or repeated
 * flags, `--flag=value`, values it would refuse (it prints those usage errors), and a home that
 * is not a folder. `run` declines when the store fails, so the full command reports it.
 */
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as Store from "@rollout/store/Store"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import * as RefreshProgress from "./RefreshProgress.js"
import * as QuickArgs from "./QuickArgs.js"
import * as SearchOutput from "./SearchOutput.js"

export interface Args {
  readonly home: string
  readonly index: string
  readonly query: ThreadSearch.Query
  readonly json: boolean
  readonly quiet: boolean
}

export type Io = Pick<QuickArgs.Io, "stdout" | "stderr" | "stderrIsTTY">

const VALUED = ["limit", "kind", "codex-home", "index"] as const
const FLAGS = ["archived", "json", "quiet"] as const

const isKind = (s: string): s is (typeof SearchOutput.KINDS)[number] => (SearchOutput.KINDS as ReadonlyArray<string>).includes(s)

/** A limit in 1..500 written plainly, as the full command's `--limit` takes it; else undefined. */
const limitOf = (s: string | undefined): number | undefined => {
  if (s === undefined) return 20
  if (!/^[1-9][0-9]{0,2}$/.test(s)) return undefined
  const n = Number(s)
  return n <= 500 ? n : undefined
}

/** The search command line `argv` (without node and script), if the quick path may serve it. */
export const parse = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args | undefined => {
  const parsed = argv[0] === "search" ? QuickArgs.read(argv, VALUED, FLAGS, true) : undefined
  if (parsed === undefined) return undefined
  const { words, values, seen } = parsed
  const text = words[0]
  const limit = limitOf(values.limit)
  const kind = values.kind
  // An empty $ROLLOUT_INDEX is a value the full command's flag takes as given: left to it.
  const index = values.index ?? env["ROLLOUT_INDEX"]
  if (words.length !== 1 || text === undefined || !SearchOutput.hasWord(text) || limit === undefined || index === "") return undefined
  if (kind !== undefined && !isKind(kind)) return undefined
  const home = QuickArgs.home(values["codex-home"], env)
  if (!QuickArgs.isFolder(home)) return undefined
  const query: ThreadSearch.Query = { text, limit, archived: seen.has("archived"), ...(kind === undefined ? {} : { kinds: [kind] }) }
  return { home, index: IndexDatabase.location(index, {}, home), query, json: seen.has("json"), quiet: seen.has("quiet") }
}

/** Searches and prints as `SearchCommand` does; the exit code, or undefined when the store failed. */
export const run = async (args: Args, io: Io): Promise<number | undefined> => {
  let found: { readonly hits: ReadonlyArray<ThreadSearch.Hit>; readonly total: number }
  try {
    const store = Store.open({ home: args.home, path: args.index })
    const bar = RefreshProgress.choose(io.stderr, io.stderrIsTTY, args.quiet)
    try {
      const hits = await store.search(args.query, bar)
      found = { hits, total: store.searchTotal(args.query) }
    } finally {
      bar.finish()
      store.close()
    }
  } catch {
    return undefined
  }
  io.stdout(SearchOutput.render(found.hits, found.total, args.json))
  return 0
}

/**
 * `rollout ls` without the CLI framework: the plain listing (the first page by creation time, with
 * `--limit N`, `--json`, `--quiet`/`-q`, `--codex-home DIR` and `--index FILE`, each once, its value
 * as the next word) is answered here by the same store calls and the same rendering (`LsTable`,
 * the `resumeCommand` of `ResumeHint`) as `LsCommand`, without loading the framework and the other
 * commands, which are most of a warm page's start-up. `parse` declines (`undefined`) whatever the
 * full command might answer differently: help, a cursor, another order, filters, `--database`,
 * other or repeated flags, `--flag=value`, a limit it would refuse (it prints that usage error), a
 * home that is not a folder. `run` declines when the store fails, so the full command reports it.
 */
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as Store from "@rollout/store/Store"
import * as ThreadList from "@rollout/store/ThreadList"
import * as LsTable from "./LsTable.js"
import * as QuickArgs from "./QuickArgs.js"
import * as RefreshProgress from "./RefreshProgress.js"
import * as ResumeHint from "./ResumeHint.js"

export interface Args {
  readonly home: string
  readonly index: string
  readonly limit: number
  readonly json: boolean
  readonly quiet: boolean
}

export type Io = QuickArgs.Io

const VALUED = ["limit", "codex-home", "index"] as const
const FLAGS = ["json", "quiet"] as const

/** A limit in 1..MAX_LIMIT written plainly, as the full command's `--limit` takes it; else undefined. */
const limitOf = (s: string | undefined): number | undefined => {
  if (s === undefined) return ThreadList.DEFAULT_LIMIT
  if (!/^[1-9][0-9]{0,2}$/.test(s)) return undefined
  const n = Number(s)
  return n <= ThreadList.MAX_LIMIT ? n : undefined
}

/** The ls command line `argv` (without node and script), if the quick path may serve it. */
export const parse = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args | undefined => {
  const parsed = argv[0] === "ls" ? QuickArgs.read(argv, VALUED, FLAGS, false) : undefined
  if (parsed === undefined) return undefined
  const { values, seen } = parsed
  const limit = limitOf(values.limit)
  // An empty $ROLLOUT_INDEX is a value the full command's flag takes as given: left to it.
  const index = values.index ?? env["ROLLOUT_INDEX"]
  if (limit === undefined || index === "") return undefined
  const home = QuickArgs.home(values["codex-home"], env)
  if (!QuickArgs.isFolder(home)) return undefined
  return { home, index: IndexDatabase.location(index, {}, home), limit, json: seen.has("json"), quiet: seen.has("quiet") }
}

/** What `rollout trim` would free, measured for the threads whose stored measure is stale (loaded only then). */
const measure =
  (home: string) =>
  async (paths: ReadonlyArray<string>): Promise<number | null> => {
    const [Effect, Files, ThreadInfo] = await Promise.all([import("effect/Effect"), import("@rollout/log/Files"), import("@rollout/query/ThreadInfo")])
    return Effect.runPromise(ThreadInfo.trimFrees(Files.node, paths, home))
  }

/** Lists and prints the page as `LsCommand` does; the exit code, or undefined when the store failed. */
export const run = async (args: Args, io: Io): Promise<number | undefined> => {
  let page: { readonly data: ReadonlyArray<LsTable.Row>; readonly nextCursor: string | null }
  try {
    const store = Store.open({ home: args.home, path: args.index })
    const bar = RefreshProgress.choose(io.stderr, io.stderrIsTTY, args.quiet)
    try {
      const listed = await store.list({ limit: args.limit, cursor: null, sortKey: "created_at", archived: false }, bar)
      const frees = await store.trimFrees(
        listed.data.map((t) => t.id),
        measure(args.home)
      )
      page = { ...listed, data: listed.data.map((t) => ({ ...t, trimFreesBytes: frees.get(t.id) ?? null })) }
    } finally {
      bar.finish()
      store.close()
    }
  } catch {
    return undefined
  }
  if (args.json) {
    const withResume = { ...page, data: page.data.map((t) => ({ ...t, resumeCommand: ResumeHint.line(t.id, t.cwd) })) }
    io.stdout(`${JSON.stringify(withResume)}\n`)
    return 0
  }
  const more =
    page.nextCursor === null
      ? undefined
      : ["rollout ls --cursor", page.nextCursor, ...(args.limit === ThreadList.DEFAULT_LIMIT ? [] : ["--limit", String(args.limit)])].join(" ")
  io.stdout(LsTable.render(page.data, { time: "created", width: io.columns, more }))
  return 0
}

/**
 * The command lines of `rollout stats` that its quick path (`StatsQuick`) serves, read by hand so
 * that `bin.ts` can tell them before loading the CLI framework: `stats` followed by paths and the
 * flags `--json`, `--quiet`/`-q`, `--by`, `--format`, `--since`, `--until`, `--last`, `--timezone`,
 * `--jobs`, `--codex-home` and `--no-cache`, each flag once with its value as the next word. This only reads the
 * words; it does not check values (`StatsQuick` does, and declines what it would not answer as the
 * full CLI does). Anything else (help, another flag, `--flag=value`, `--`) is left to the full CLI.
 */
import * as os from "node:os"
import * as nodePath from "node:path"
import * as UserCache from "@rollout/log/UserCache"

export interface Args {
  readonly paths: ReadonlyArray<string>
  readonly json: boolean
  readonly quiet: boolean
  /** The raw values of the flags given, by flag name without dashes. */
  readonly values: Readonly<Partial<Record<Valued, string>>>
  /** `--codex-home`, else `$CODEX_HOME`, else `~/.codex`, resolved (as `Flags.codexHome`). */
  readonly codexHome: string
  /** Where statistics are kept between runs (the per-user cache folder); absent with `--no-cache`. */
  readonly cacheDir?: string
}

const VALUED = ["by", "format", "since", "until", "last", "timezone", "jobs", "codex-home"] as const
type Valued = (typeof VALUED)[number]

const isValued = (name: string): name is Valued => (VALUED as ReadonlyArray<string>).includes(name)

const homeOf = (given: string | undefined, env: NodeJS.ProcessEnv): string => {
  const dir = given ?? env["CODEX_HOME"] ?? ""
  // An empty CODEX_HOME is unset, as the full CLI reads it.
  return nodePath.resolve(dir === "" ? nodePath.join(os.homedir(), ".codex") : dir)
}

/**
 * The default `--timezone`: the machine's zone, as `Intl` resolves it (TZ included); UTC when it
 * resolves none. `TZ=UTC` is answered without asking: `Intl` resolves it to `UTC`, and its first
 * use loads the time zone data (a tenth of a second, as long as reading a small home).
 */
export const machineZone = (env: NodeJS.ProcessEnv = process.env): string =>
  env["TZ"] === "UTC" ? "UTC" : (Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC")

/** The stats command line `argv` (without node and script), if the quick path may serve it. */
export const parse = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Args | undefined => {
  if (argv[0] !== "stats") return undefined
  const paths: Array<string> = []
  const values: Partial<Record<Valued, string>> = {}
  const seen = new Set<string>()
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] as string
    if (!word.startsWith("-")) {
      paths.push(word)
      continue
    }
    const name = word === "-q" ? "quiet" : word.startsWith("--") ? word.slice(2) : ""
    if (seen.has(name)) return undefined
    seen.add(name)
    if (name === "json" || name === "quiet" || name === "no-cache") continue
    const value = argv[i + 1]
    if (!isValued(name) || value === undefined || value.startsWith("-")) return undefined
    values[name] = value
    i++
  }
  return {
    paths,
    json: seen.has("json"),
    quiet: seen.has("quiet"),
    values,
    codexHome: homeOf(values["codex-home"], env),
    ...(seen.has("no-cache") ? {} : { cacheDir: UserCache.dir(env) })
  }
}

/**
 * Flags and arguments shared by several commands, so that each is spelled and explained once.
 */
import * as os from "node:os"
import * as nodePath from "node:path"
import { Config, Option } from "effect"
import { Argument, Flag } from "effect/cli"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import * as IndexDatabase from "@rollout/store/IndexDatabase"

export const thread = Argument.String("THREAD").pipe(Argument.withDescription("A thread id (looked up under --codex-home) or the path of a rollout file."))

export const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print exactly one JSON document on stdout (the contract in docs); diagnostics go to stderr."),
  Flag.withDefault(false)
)

export const codexHome = Flag.String("codex-home").pipe(
  Flag.withMetavar("DIR"),
  Flag.withDescription("The Codex home holding sessions/ and archived_sessions/. Default: $CODEX_HOME, else ~/.codex."),
  Flag.withFallbackConfig(Config.String("CODEX_HOME")),
  Flag.withDefault(nodePath.join(os.homedir(), ".codex")),
  // An empty CODEX_HOME is unset (as a shell's `CODEX_HOME= rollout ...` means), not the current folder.
  Flag.map((dir) => nodePath.resolve(dir === "" ? nodePath.join(os.homedir(), ".codex") : dir))
)

export const indexFile = Flag.String("index").pipe(
  Flag.withMetavar("FILE"),
  Flag.withDescription(
    `The SQLite index file. Default: $ROLLOUT_INDEX, else one per Codex home in ${IndexDatabase.cacheDir()} (never inside the home; one an earlier version left there as ${IndexDatabase.FILE_NAME} is still used). It is a cache: delete it at will.`
  ),
  Flag.withFallbackConfig(Config.String("ROLLOUT_INDEX")),
  Flag.optional
)

/** A whole number as typed: digits with an optional sign, nothing else (not `1.5`, `1e2`, `0x10` or an empty word). */
const wholeNumber = (text: string): number | undefined => (/^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined)

/**
 * An integer flag checked against its range before anything runs: out of range is a usage error
 * naming the range (as gh does for `--limit 0`), not a silent clamp. Read as a word and checked
 * here, so that `abc`, `1.5` and an empty word get the same message as `0` does.
 */
export const intIn = (name: string, min: number, max: number = Number.MAX_SAFE_INTEGER) => {
  const range = max === Number.MAX_SAFE_INTEGER ? `a whole number, ${min} or more` : `a whole number from ${min} to ${max}`
  return Flag.String(name).pipe(
    Flag.withMetavar("N"),
    Flag.filterMap(
      (text) => {
        const n = wholeNumber(text)
        return n !== undefined && Number.isSafeInteger(n) && n >= min && n <= max ? Option.some(n) : Option.none()
      },
      () => range
    )
  )
}

/** `--quiet`: no progress bar even on a terminal (errors are still printed). */
export const quiet = Flag.Boolean("quiet").pipe(
  Flag.withAlias("q"),
  Flag.withDescription("Draw no progress bar (one is drawn on stderr only when it is a terminal). Errors are still printed."),
  Flag.withDefault(false)
)

/** `--codex-version`: the Codex release whose rollout shape a writing command follows. */
export const codexVersion = Flag.Literals("codex-version", WriterVersion.versions).pipe(
  Flag.withMetavar("VERSION"),
  Flag.withDescription(
    `Write as this Codex release writes (its session_meta cli_version; 0.171 adds model_search_state to response-item metadata, older releases drop it). Default: ${WriterVersion.newest}, the newest.`
  ),
  Flag.withDefault(WriterVersion.newest)
)

/**
 * What the index commands (`index`, `ls`, `search`, `archive`, `unarchive`) share: opening the
 * store of a Codex home around one command, the progress bar a long first build shows on stderr,
 * and store failures as CLI failures. Not a command itself.
 */
import * as fs from "node:fs"
import { Effect, Option } from "effect"
import * as Archive from "@rollout/store/Archive"
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import type * as Refresh from "@rollout/store/Refresh"
import * as RefreshDiagnostic from "@rollout/store/RefreshDiagnostic"
import * as Terminal from "@rollout/view/Terminal"
import * as Store from "@rollout/store/Store"
import * as ThreadList from "@rollout/store/ThreadList"
import { InvalidInput, UnreadableInput, UsageError } from "./CliFailure.js"
import * as Output from "./Output.js"

/** Waiting this long before drawing a bar keeps quick refreshes silent. */
const PROGRESS_AFTER_MS = 700

/** Refresh options drawing a progress bar on stderr once a refresh takes more than a moment. */
export const progress = (stderr: (text: string) => void): Refresh.Options & { readonly finish: () => void } => {
  const started = Date.now()
  let drawn = false
  let lastDraw = 0
  return {
    onProgress: ({ done, total }) => {
      const now = Date.now()
      if (total === 0 || now - started < PROGRESS_AFTER_MS || (now - lastDraw < 100 && done < total)) return
      lastDraw = now
      drawn = true
      const width = 30
      const filled = Math.round((done / total) * width)
      stderr(`\rindexing rollouts [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`)
    },
    onDiagnostic: (d) => stderr(`${drawn ? "\n" : ""}rollout: ${Terminal.field(RefreshDiagnostic.format(d))}\n`),
    finish: () => {
      if (drawn) stderr("\n")
    }
  }
}

/** Refresh options without a bar: only what could not be indexed, one line each. */
const quietly = (stderr: (text: string) => void): Refresh.Options & { readonly finish: () => void } => ({
  onDiagnostic: (d) => stderr(`rollout: ${Terminal.field(RefreshDiagnostic.format(d))}\n`),
  finish: () => {}
})

const failure = (error: unknown): UsageError | UnreadableInput | InvalidInput | undefined => {
  if (error instanceof ThreadList.InvalidCursor) return new UsageError({ message: error.message })
  if (error instanceof Archive.ThreadNotFound) return new UnreadableInput({ message: error.message })
  if (error instanceof Archive.CannotMove) return new InvalidInput({ message: error.message })
  return undefined
}

/** A cursor that cannot belong to `--sort-key key` is a usage error. */
export const checkCursor = (key: ThreadList.SortKey, cursor: string): Effect.Effect<void, UsageError> =>
  Effect.try({ try: () => void ThreadList.decodeCursor(key, cursor), catch: (e) => new UsageError({ message: e instanceof Error ? e.message : String(e) }) })

/**
 * Opens the index of `home`, runs `use` with it and a refresh option set (with the progress bar),
 * and closes it. Store failures become CLI failures; anything else is an internal error.
 */
export const withStore = <A>(
  home: string,
  index: Option.Option<string>,
  use: (store: Store.Store, refresh: Refresh.Options) => Promise<A>,
  rebuild = false,
  quiet = false
): Effect.Effect<A, UsageError | UnreadableInput | InvalidInput, Output.Output> =>
  Effect.gen(function* () {
    const output = yield* Output.Output
    // Checked first: opening the index would otherwise create the folder and a file in it.
    if (!fs.statSync(home, { throwIfNoEntry: false })?.isDirectory())
      return yield* new UnreadableInput({ message: `no Codex home at ${home} (give --codex-home DIR or set CODEX_HOME)` })
    const path = IndexDatabase.location(Option.getOrUndefined(index), {}, home)
    const result = yield* Effect.tryPromise({
      try: async () => {
        const store = Store.open({ home, path, rebuild })
        // A bar redraws with \r: only a person at a terminal wants it, never a log or a pipe.
        // Diagnostics (a file that cannot be indexed) are always told; the bar only to a person at a terminal.
        const bar = Output.showsProgress(output, quiet) ? progress(output.stderr) : quietly(output.stderr)
        try {
          return await use(store, bar)
        } finally {
          bar.finish()
          store.close()
        }
      },
      catch: (error) => failure(error) ?? error
    }).pipe(Effect.catch((e) => (e instanceof UsageError || e instanceof UnreadableInput || e instanceof InvalidInput ? Effect.fail(e) : Effect.die(e))))
    return result
  })

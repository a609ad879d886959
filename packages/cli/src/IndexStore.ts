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
import * as Store from "@rollout/store/Store"
import * as ThreadList from "@rollout/store/ThreadList"
import { InvalidInput, UnreadableInput, UsageError } from "./CliFailure.js"
import * as Output from "./Output.js"
import * as RefreshProgress from "./RefreshProgress.js"

const failure = (error: unknown): UsageError | UnreadableInput | InvalidInput | undefined => {
  if (error instanceof ThreadList.InvalidCursor) return new UsageError({ message: error.message })
  if (error instanceof Archive.ThreadNotFound) return new UnreadableInput({ message: error.message })
  if (error instanceof Archive.CannotMove) return new InvalidInput({ message: error.message })
  if (error instanceof IndexDatabase.NotAnIndex) return new UnreadableInput({ message: error.message })
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
        const bar = Output.showsProgress(output, quiet) ? RefreshProgress.progress(output.stderr) : RefreshProgress.quietly(output.stderr)
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

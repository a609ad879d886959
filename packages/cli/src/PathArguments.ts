/**
 * The `PATH...` arguments of `info`, `validate` and `stats`, read the one way: no PATH means the
 * Codex home (`--codex-home`, else `$CODEX_HOME`, else `~/.codex`), as `ls` and `search` do; a file,
 * a folder, a thread id or a unique id prefix each names rollout files (`ThreadArgument.expand`).
 * A name that matches nothing is reported, not dropped.
 */
import { Argument } from "effect/cli"
import { Effect } from "effect"
import type * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as ThreadArgument from "@rollout/query/ThreadArgument"

export const argument = (what: string) =>
  Argument.String("PATH").pipe(
    Argument.withDescription(`${what} Default: the Codex home (--codex-home, else $CODEX_HOME, else ~/.codex).`),
    Argument.variadic({ min: 0 })
  )

/** The names to read: those given, else the home. */
export const orHome = (paths: ReadonlyArray<string>, home: string): ReadonlyArray<string> => (paths.length === 0 ? [home] : paths)

export interface Expanded {
  readonly paths: ReadonlyArray<string>
  /** Names that match nothing, and folders under them that cannot be read, with why. */
  readonly missing: ReadonlyArray<{ readonly arg: string; readonly message: string }>
  /** Entries named like rollouts that are not files to read (a FIFO, a dangling link): said, not errors. */
  readonly skipped: ReadonlyArray<CodexHome.Skipped>
}

/** Every rollout file the names give, in order, and the names that give none. */
export const expand = (names: ReadonlyArray<string>, home: string): Effect.Effect<Expanded, never, Files.Files> =>
  Effect.gen(function* () {
    const paths: Array<string> = []
    const missing: Array<{ arg: string; message: string }> = []
    const skipped: Array<CodexHome.Skipped> = []
    for (const arg of names) {
      const unreadable: Array<CodexHome.Unreadable> = []
      const found = yield* ThreadArgument.expand(arg, home, unreadable, skipped).pipe(Effect.result)
      if (found._tag === "Success") paths.push(...found.success)
      else missing.push({ arg, message: found.failure.message })
      // A folder that cannot be listed costs its own files: said (exit 2), the rest is read.
      for (const u of unreadable) missing.push({ arg: u.path, message: u.message })
    }
    return { paths, missing, skipped }
  })

export interface Named {
  /** The names to read: each as given, a unique id prefix replaced by its thread's files. */
  readonly paths: ReadonlyArray<string>
  /**
   * Names that are no path and no thread (an ambiguous or too short id prefix), with why, as
   * diagnostics (dropped from `paths`: the reader would only say "no such file").
   */
  readonly unresolved: ReadonlyArray<{ readonly path: string; readonly line: 0; readonly kind: "read_error"; readonly message: string }>
  /** Files named one by one that hold no rollout (dropped from `paths`), as diagnostics. */
  readonly notRollouts: ReadonlyArray<{ readonly path: string; readonly line: 0; readonly kind: "not_a_rollout"; readonly message: string }>
}

/**
 * The names for a reader that expands them itself (`StatsQuery`): names that match nothing stay, so
 * it reports them; a file given by name must be a rollout, since a folder's walk only finds files
 * named like one.
 */
export const named = (names: ReadonlyArray<string>, home: string): Effect.Effect<Named, never, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths: Array<string> = []
    const unresolved: Array<Named["unresolved"][number]> = []
    const notRollouts: Array<Named["notRollouts"][number]> = []
    for (const arg of names) {
      const stat = yield* Effect.promise(() => files.stat(arg).catch(() => undefined))
      if (stat === undefined) {
        const found = yield* ThreadArgument.expand(arg, home).pipe(Effect.result)
        if (found._tag === "Success") paths.push(...found.success)
        else unresolved.push({ path: arg, line: 0, kind: "read_error", message: found.failure.message })
      } else if (stat.kind === "file" && (yield* ThreadArgument.start(arg))._tag === "NoMeta") {
        // A file the user may not read is not "not a rollout": the reader reports it as a read error (exit 2).
        notRollouts.push({ path: arg, line: 0, kind: "not_a_rollout", message: `${arg} is not a rollout: no session_meta line at its start` })
      } else paths.push(arg)
    }
    return { paths, unresolved, notRollouts }
  })

/**
 * What a `THREAD` or `PATH` argument names, the one way every command reads it: a rollout file, a
 * folder or Codex home, a thread id, or a unique prefix of one (`01a018bd`, as git takes a short
 * commit id). A `THREAD` must name one thread: a folder of several threads or a prefix shared by
 * several is refused with the candidates, never answered from the first. It reads directory
 * listings and, for `requireRollout`, the first lines of a file; it folds nothing.
 */
import { Effect } from "effect"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import { InvalidInput, UnreadableInput } from "./QueryError.js"

/** A prefix this short would match by accident; a full id is 36 characters. */
const MIN_PREFIX = 4
const PREFIX = /^[0-9a-fA-F][0-9a-fA-F-]*$/
const SHOWN = 8

const listed = (ids: ReadonlyArray<string>) => `${ids.slice(0, SHOWN).join(", ")}${ids.length > SHOWN ? `, … (${ids.length - SHOWN} more)` : ""}`

/** Distinct thread ids of files, in first-seen order (a file whose name carries none counts as its own). */
const threadIds = (paths: ReadonlyArray<string>): Array<string> => {
  const ids = paths.map((p) => CodexHome.parseName(p.slice(p.lastIndexOf("/") + 1))?.id ?? p)
  return [...new Set(ids)]
}

/** The threads of `home` whose id starts with `prefix`, each with its files. */
const byPrefix = async (files: Files.Shape, home: string, prefix: string): Promise<Map<string, Array<string>>> => {
  const wanted = prefix.toLowerCase()
  const out = new Map<string, Array<string>>()
  for (const f of await CodexHome.rollouts(files, home).catch(() => [])) {
    if (f.id.startsWith(wanted)) out.set(f.id, [...(out.get(f.id) ?? []), f.path])
  }
  return out
}

/**
 * Like `CodexHome.expand`, and a unique prefix of a thread id names that thread. With `unreadable`,
 * the folders a walk could not list are noted there (else they are passed over unsaid); with
 * `skipped`, the entries named like rollouts that are not files to read (FIFOs, dangling links).
 */
export const expand = (
  arg: string,
  home: string,
  unreadable?: Array<CodexHome.Unreadable>,
  skipped?: Array<CodexHome.Skipped>
): Effect.Effect<ReadonlyArray<string>, UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const expanded = yield* Effect.promise(() => CodexHome.expand(files, arg, home))
    if (expanded._tag === "Files") {
      // Nothing readable at all: the first folder that could not be read is the answer.
      const [first] = expanded.unreadable
      if (expanded.paths.length === 0 && first !== undefined) return yield* new UnreadableInput({ message: first.message })
      unreadable?.push(...expanded.unreadable)
      skipped?.push(...expanded.skipped)
      return expanded.paths
    }
    const exists = yield* Effect.promise(() =>
      files.stat(arg).then(
        () => true,
        () => false
      )
    )
    if (arg === "")
      return yield* new UnreadableInput({ message: "an empty argument names no file, folder or thread: give a path, a thread id or a unique prefix of one" })
    // A short prefix is refused, not matched: say so, or the user looks for a file they never meant.
    if (!exists && arg.length < MIN_PREFIX && PREFIX.test(arg))
      return yield* new UnreadableInput({ message: `${expanded.message}; as a thread id prefix, ${arg} is too short (${MIN_PREFIX} characters at least)` })
    if (exists || arg.length < MIN_PREFIX || CodexHome.isThreadId(arg) || !PREFIX.test(arg)) return yield* new UnreadableInput({ message: expanded.message })
    const found = yield* Effect.promise(() => byPrefix(files, home, arg))
    if (found.size === 0) return yield* new UnreadableInput({ message: `no thread id starting with ${arg} in the Codex home ${home}, and no such file` })
    if (found.size > 1)
      return yield* new UnreadableInput({ message: `${arg} is the start of ${found.size} thread ids: ${listed([...found.keys()])}; give more of the id` })
    return [...found.values()][0] ?? []
  })

/** The rollout files of exactly one thread (its segments, oldest first). */
export const resolve = (arg: string, home: string): Effect.Effect<ReadonlyArray<string>, UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const paths = yield* expand(arg, home)
    const ids = threadIds(paths)
    if (ids.length > 1)
      return yield* new UnreadableInput({
        message: `${arg} holds ${ids.length} threads (${listed(ids)}); name one by id or file (rollout ls, rollout info ${arg})`
      })
    return paths
  })

/** The first `session_meta` is within these many lines of a rollout (Codex writes it first). */
const META_WITHIN = 64

/** How a file starts: the payload of its first `session_meta`, none among its first lines, or why it could not be read. */
export type Start =
  | { readonly _tag: "Meta"; readonly meta: Readonly<Record<string, unknown>> }
  | { readonly _tag: "NoMeta" }
  | { readonly _tag: "Unreadable"; readonly message: string }

export const start = (path: string): Effect.Effect<Start, never, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    return yield* Effect.promise(async (): Promise<Start> => {
      let seen = 0
      for await (const batch of RolloutReader.batches(files, path, { batchBytes: 64 << 10 })) {
        for (const entry of batch) {
          if (entry._tag === "Diagnostic" && entry.kind === "read_error") return { _tag: "Unreadable", message: entry.message }
          if (entry._tag !== "Line") continue
          const line = entry.value as { type?: unknown; payload?: unknown }
          if (line.type === "session_meta")
            return { _tag: "Meta", meta: typeof line.payload === "object" && line.payload !== null ? (line.payload as Record<string, unknown>) : {} }
          if (++seen >= META_WITHIN) return { _tag: "NoMeta" }
        }
      }
      return { _tag: "NoMeta" }
    }).pipe(Effect.catchCause((cause) => Effect.succeed<Start>({ _tag: "Unreadable", message: `cannot read ${path}: ${String(cause)}` })))
  })

/** The payload of the `session_meta` among `path`'s first lines, if any (how a rollout starts). */
export const firstMeta = (path: string): Effect.Effect<Readonly<Record<string, unknown>> | undefined, never, Files.Files> =>
  start(path).pipe(Effect.map((s) => (s._tag === "Meta" ? s.meta : undefined)))

/** Why `path` cannot be read (`cannot read PATH: ...`), or undefined when its first lines can. */
export const readFailure = (path: string): Effect.Effect<string | undefined, never, Files.Files> =>
  start(path).pipe(Effect.map((s) => (s._tag === "Unreadable" ? s.message : undefined)))

/** Whether `path` starts like a rollout: a `session_meta` among its first lines. */
export const looksLikeRollout = (path: string): Effect.Effect<boolean, never, Files.Files> => firstMeta(path).pipe(Effect.map((m) => m !== undefined))

/** `resolve`, and the thread's first file must be a rollout (else exit 1 with why, not an empty answer). */
export const resolveRollout = (arg: string, home: string): Effect.Effect<ReadonlyArray<string>, UnreadableInput | InvalidInput, Files.Files> =>
  Effect.gen(function* () {
    const paths = yield* resolve(arg, home)
    const first = paths[0]
    if (first === undefined) return paths
    const s = yield* start(first)
    // A file we may not read is unreadable input (exit 2), not a file that is no rollout (exit 1).
    if (s._tag === "Unreadable") return yield* new UnreadableInput({ message: s.message })
    if (s._tag === "NoMeta")
      return yield* new InvalidInput({ message: `${first} is not a rollout: no session_meta line at its start (rollout validate ${first} says more)` })
    return paths
  })

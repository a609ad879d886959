/**
 * A thread at a glance: `ThreadSummary` folded over every typed line of one rollout file, with the
 * file's path, how many lines could not be read or typed, the file's size and how much of it
 * `rollout trim` would free (read from the file's end, see `TrimWrite.measurePaths`). It reads the
 * whole file; listing a large home quickly is the index's job.
 */
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as ThreadSummary from "@rollout/reduce/ThreadSummary"
import * as TrimWrite from "./TrimWrite.js"

export interface ThreadInfo extends ThreadSummary.ThreadSummary {
  readonly path: string
  /** Lines that could not be read or typed (see `rollout validate`). */
  readonly skippedLines: number
  /** The file's size in bytes. */
  readonly bytes: number
  /** Bytes `rollout trim` would free; null when it cannot trim this file (compressed, or no checkpoint near its end). */
  readonly trimFreesBytes: number | null
}

/** With `home`, a paginated fork's trim is measured with its parent's history, as `rollout trim` writes it. */
export const read = (path: string, home?: string): Effect.Effect<ThreadInfo, never, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const summary = yield* Effect.promise(async () => {
      let skippedLines = 0
      // Folded as the lines stream by: memory is the summary, whatever the file's size.
      let summary = ThreadSummary.empty
      for await (const line of RolloutCodec.knownLines(files, path, () => skippedLines++)) summary = ThreadSummary.step(summary, line)
      return { path, skippedLines, ...summary }
    })
    const bytes = yield* Effect.promise(() => files.stat(path).then((s) => s.size)).pipe(Effect.catchCause(() => Effect.succeed(0)))
    const trimFreesBytes = yield* trimFrees(files, [path], home)
    return { ...summary, bytes, trimFreesBytes }
  })

/**
 * Bytes `rollout trim` would free from a thread's files (oldest first): what `info` shows per file
 * and `ls` per thread. Null when it cannot trim them (compressed, no checkpoint near the end,
 * unreadable). With `home`, a paginated fork's copy holds its parent's history too, so it may free
 * nothing (0); without it the fork's own lines are measured alone and say more than trim frees.
 */
export const trimFrees = (files: Files.Shape, paths: ReadonlyArray<string>, home?: string): Effect.Effect<number | null> =>
  TrimWrite.measurePaths(files, paths, home).pipe(
    Effect.map((m) => (m.plan._tag === "Trimmed" ? Math.max(0, m.bytesBefore - m.bytesAfter) : null)),
    Effect.catchCause(() => Effect.succeed(null))
  )

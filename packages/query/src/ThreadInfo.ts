/**
 * A thread at a glance: `ThreadSummary` folded over every typed line of one rollout file, with the
 * file's path and how many lines could not be read or typed. It reads the whole file; listing a
 * large home quickly is the index's job.
 */
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as ThreadSummary from "@rollout/reduce/ThreadSummary"

export interface ThreadInfo extends ThreadSummary.ThreadSummary {
  readonly path: string
  /** Lines that could not be read or typed (see `rollout validate`). */
  readonly skippedLines: number
}

export const read = (path: string): Effect.Effect<ThreadInfo, never, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    return yield* Effect.promise(async () => {
      let skippedLines = 0
      const summary = ThreadSummary.fold(await collect(RolloutCodec.knownLines(files, path, () => skippedLines++)))
      return { path, skippedLines, ...summary }
    })
  })

const collect = async <A>(it: AsyncIterable<A>): Promise<Array<A>> => {
  const out: Array<A> = []
  for await (const a of it) out.push(a)
  return out
}

/**
 * The entries of one rollout file as statistics read it: a plain JSONL file is framed here
 * (`JsonlReader`, with the caller's skim), and anything else — a `.jsonl.zst`, a segment, or a
 * segment under another name (seen by its magic bytes) — goes through the full `RolloutReader`,
 * which is loaded only then: it brings zstd, segments and their codecs, a large part of start-up for
 * a home that holds none of them. What comes out is what `RolloutReader.batches` gives.
 */
import type * as Files from "@rollout/log/Files"
import * as JsonlReader from "@rollout/log/JsonlReader"
import type { Entry, Skimmed } from "@rollout/log/LineFramer"
import * as SegmentFormat from "@rollout/log/SegmentFormat"

type Options = JsonlReader.Options & { readonly skim: NonNullable<JsonlReader.Options["skim"]> }

async function* full(files: Files.Shape, path: string, options: Options): AsyncGenerator<ReadonlyArray<Entry | Skimmed>> {
  const RolloutReader = await import("@rollout/log/RolloutReader")
  yield* RolloutReader.batches(files, path, options)
}

async function* none(): AsyncGenerator<Uint8Array> {}

/** `first` and then the rest of `chunks`. */
async function* resumed(first: Uint8Array, chunks: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first
  for (let r = await chunks.next(); r.done !== true; r = await chunks.next()) yield r.value
}

export async function* batches(files: Files.Shape, path: string, options: Options): AsyncGenerator<ReadonlyArray<Entry | Skimmed>> {
  if (path.endsWith(".zst") || SegmentFormat.isSegmentPath(path)) return yield* full(files, path, options)
  const chunks = files.chunks(path)[Symbol.asyncIterator]()
  let first: IteratorResult<Uint8Array>
  try {
    first = await chunks.next()
  } catch (error) {
    yield [JsonlReader.readError(path, error)]
    return
  }
  // Too short to tell a segment by its magic (tiny chunks, a tiny file), or a segment: the full reader decides.
  if (first.done !== true && (first.value.length < SegmentFormat.MAGIC.length || SegmentFormat.hasMagic(first.value))) {
    await chunks.return?.()
    return yield* full(files, path, options)
  }
  yield* JsonlReader.frame<Skimmed>(path, first.done === true ? none() : resumed(first.value, chunks), options)
}

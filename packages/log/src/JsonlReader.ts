/**
 * A plain JSONL file's chunks framed into entry batches (`LineFramer`): the loop `RolloutReader`
 * runs for `.jsonl` files, with a failed read as one `read_error` diagnostic. It imports no
 * Effect and nothing of zstd or segments, so a worker thread can load it at once.
 */
import * as Diagnostic from "./Diagnostic.js"
import { type Entry, LineFramer, type Options as FramerOptions, type Skimmed } from "./LineFramer.js"

export interface Options extends FramerOptions {
  /**
   * Frame at most about this many bytes of a read chunk per batch (cut after an LF; default: the
   * whole chunk). A consumer that does real work per line (a fold) asks for small batches so each
   * dies in the young generation instead of surviving scavenges and being promoted, which costs a
   * copy now and a mark-compact later.
   */
  readonly batchBytes?: number
}

/** `chunk` cut into pieces of about `size` bytes, each ending at an LF (the last one at the end). */
function* slices(chunk: Uint8Array, size: number | undefined): Generator<Uint8Array> {
  if (size === undefined || chunk.length <= size) {
    yield chunk
    return
  }
  let start = 0
  while (start < chunk.length) {
    const nl = start + size >= chunk.length ? -1 : chunk.indexOf(0x0a, start + size)
    const end = nl === -1 ? chunk.length : nl + 1
    yield chunk.subarray(start, end)
    start = end
  }
}

export const readError = (path: string, error: unknown): Diagnostic.Diagnostic =>
  Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)

/**
 * The entries of `chunks` (the file `path`, in order), one array per piece framed (never empty).
 * When a chunk is `divert.marker`, the rest of the chunks go to `divert.to` instead (a segment
 * found by its magic bytes).
 */
export async function* frame<Extra extends Skimmed = never>(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
  options: Options = {},
  divert?: { readonly marker: Uint8Array; readonly to: (rest: AsyncIterable<Uint8Array>) => AsyncIterable<ReadonlyArray<Entry>> }
): AsyncGenerator<ReadonlyArray<Entry | Extra>> {
  const framer = new LineFramer<Extra>(path, options)
  try {
    for await (const chunk of chunks) {
      if (divert !== undefined && chunk === divert.marker) {
        yield* divert.to(chunks)
        return
      }
      for (const piece of slices(chunk, options.batchBytes)) {
        const out = framer.push(piece)
        if (out.length > 0) yield out
      }
    }
  } catch (error) {
    yield [readError(path, error)]
    return
  }
  const out = framer.end()
  if (out.length > 0) yield out
}

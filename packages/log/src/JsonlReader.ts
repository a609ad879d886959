/**
 * A plain JSONL file's chunks framed into entry batches (`LineFramer`): the loop `RolloutReader`
 * runs for `.jsonl` files, with a failed read as one `read_error` diagnostic. It imports no
 * Effect and nothing of zstd or segments, so a worker thread can load it at once.
 */
import * as Diagnostic from "./Diagnostic.js"
import { type Entry, LineFramer, type Options as FramerOptions, type Sink, type Skimmed } from "./LineFramer.js"

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
  Diagnostic.make(path, 0, 0, "read_error", `cannot read ${path}: ${Diagnostic.why(error)}`)

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

/** An entry handed to a sink as `LineFramer.pushTo` hands it. */
export const toSink = (entry: Entry, sink: Sink): void => {
  if (entry._tag === "Line") sink.line(entry.value, entry.line, entry.offset, entry.raw, entry.terminated)
  else sink.other(entry)
}

/**
 * `frame` without batches: each entry of `chunks` goes to `sink` as it is framed, a parsed line
 * with no entry object made for it (for a reader that checks each line at once and keeps nothing).
 * A failed read is a `read_error` as in `frame`; an exception of the sink's own is not caught.
 */
export const frameTo = async (
  path: string,
  chunks: AsyncIterable<Uint8Array>,
  sink: Sink,
  options: Omit<Options, "skim" | "batchBytes"> = {},
  divert?: { readonly marker: Uint8Array; readonly to: (rest: AsyncIterable<Uint8Array>) => AsyncIterable<ReadonlyArray<Entry>> }
): Promise<void> => {
  const framer = new LineFramer(path, options)
  const source = chunks[Symbol.asyncIterator]()
  // The rest of the chunks, for the divert; closing it closes the file.
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => source }
  try {
    for (;;) {
      const next = await readNext(source, path, sink)
      if (next === undefined) return
      if (next.done === true) break
      if (divert !== undefined && next.value === divert.marker) {
        const batches = divert.to(rest)[Symbol.asyncIterator]()
        for (let b = await readNext(batches, path, sink); b !== undefined && b.done !== true; b = await readNext(batches, path, sink)) {
          for (const entry of b.value) toSink(entry, sink)
        }
        return
      }
      framer.pushTo(next.value, sink)
    }
  } finally {
    await source.return?.()
  }
  framer.endTo(sink)
}

/** The next result of `it`, or `undefined` after a failed read, reported to `sink`. */
const readNext = async <A>(it: AsyncIterator<A>, path: string, sink: Sink): Promise<IteratorResult<A> | undefined> => {
  try {
    return await it.next()
  } catch (error) {
    sink.other(readError(path, error))
    return undefined
  }
}

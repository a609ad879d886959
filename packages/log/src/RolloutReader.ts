/**
 * The tolerant forward reader: a rollout file (`.jsonl`, `.jsonl.zst`, or a binary segment: `.rseg`
 * or any file starting with the segment magic, read by `SegmentReader`) as a stream of entries,
 * each a parsed line with its raw text or a diagnostic saying what could not be read and where.
 * Nothing is dropped silently and nothing stops the stream short: a file that cannot be opened is
 * one `read_error` diagnostic. Memory stays at one read buffer plus the longest line.
 *
 * `batches` is the plain async iterator (one array per chunk read, for hot loops); `stream` is the
 * same as an Effect `Stream` over the `Files` service.
 */
import { Effect, Stream } from "effect"
import type { NonEmptyReadonlyArray } from "effect/Array"
import * as Diagnostic from "./Diagnostic.js"
import * as Files from "./Files.js"
import * as JsonlReader from "./JsonlReader.js"
import { type Entry, LineFramer, type Sink, type Skimmed } from "./LineFramer.js"
import * as SegmentFormat from "./SegmentFormat.js"
import type * as SegmentReaderModule from "./internal/SegmentReader.js"

/** The framer's options; `batchBytes` applies to plain JSONL only (zstd and segments keep their batches). */
export type Options = Omit<JsonlReader.Options, "skim">

/** A reader's judgement of a line from its envelope alone (see `LineFramer.Options.skim`). */
export type Skim = NonNullable<JsonlReader.Options["skim"]>

/** zstd frame magic number, little-endian bytes. */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const

export const isZstdPath = (path: string): boolean => path.endsWith(".zst")

const errorMessage = Diagnostic.why

/**
 * Reads `path` through `files`, yielding the entries found in each chunk (never an empty array).
 * With `skim` (JSONL and zstd; segments decode every line), lines the reader does not want come
 * as `Skimmed` entries, unparsed.
 */
export function batches(files: Files.Shape, path: string, options: Options & { readonly skim: Skim }): AsyncGenerator<ReadonlyArray<Entry | Skimmed>>
export function batches(files: Files.Shape, path: string, options?: Options): AsyncGenerator<ReadonlyArray<Entry>>
export async function* batches(files: Files.Shape, path: string, options: JsonlReader.Options = {}): AsyncGenerator<ReadonlyArray<Entry | Skimmed>> {
  if (SegmentFormat.isSegmentPath(path)) {
    yield* segmentBatches(path, files.chunks(path), options)
    return
  }
  if (isZstdPath(path)) {
    yield* zstdBatches(new LineFramer<Skimmed>(path, options), files.chunks(path))
    return
  }
  // A segment under another name is still recognised by its magic bytes.
  yield* JsonlReader.frame<Skimmed>(path, sniffSegment(files.chunks(path)), options, {
    marker: SEGMENT,
    to: (rest) => segmentBatches(path, rest, options)
  })
}

/**
 * The entries of `path`, as `batches` reads them, handed one by one to `sink` (a parsed line as its
 * parts, see `LineFramer.Sink`): plain JSONL is framed straight into it, with no entry object or
 * batch made; zstd and segments go through their batches.
 */
export const visit = async (files: Files.Shape, path: string, sink: Sink, options: Omit<Options, "batchBytes"> = {}): Promise<void> => {
  // zstd and segments frame into batches; blank lines, which make no entry, are told to the sink on the side.
  const framed = SegmentFormat.isSegmentPath(path)
    ? segmentBatches(path, files.chunks(path), options, sink.blank)
    : isZstdPath(path)
      ? // No `skim` in `options`: no skimmed entries.
        (zstdBatches(new LineFramer(path, options), files.chunks(path), sink.blank) as AsyncGenerator<ReadonlyArray<Entry>>)
      : undefined
  if (framed !== undefined) {
    for await (const batch of framed) for (const entry of batch) JsonlReader.toSink(entry, sink)
    return
  }
  await JsonlReader.frameTo(path, sniffSegment(files.chunks(path)), sink, options, {
    marker: SEGMENT,
    to: (rest) => segmentBatches(path, rest, options, sink.blank)
  })
}

/**
 * The segment reader, loaded when a segment is first read: its codec (msgpackr, which looks for a
 * native add-on as it loads) is a noticeable part of a short command's start-up, and most
 * commands never meet a segment. zstd's decoder is loaded the same way (`zstdBatches`).
 */
async function* segmentBatches(...args: Parameters<typeof SegmentReaderModule.batches>): AsyncGenerator<ReadonlyArray<Entry>> {
  const SegmentReader = await import("./internal/SegmentReader.js")
  yield* SegmentReader.batches(...args)
}

/** Marker yielded by `sniffSegment` before the chunks of a file that starts with the segment magic. */
const SEGMENT = new Uint8Array(0)

/** The file's chunks, preceded by `SEGMENT` when its first bytes are a segment's magic. */
async function* sniffSegment(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const need = SegmentFormat.MAGIC.length
  let head: Buffer | undefined = Buffer.alloc(0)
  for await (const chunk of chunks) {
    if (head === undefined) {
      yield chunk
      continue
    }
    // Tiny first chunks are gathered (copied: the source may reuse them) until the magic can be seen.
    head = head.length === 0 && chunk.length >= need ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([head, chunk])
    if (head.length < need) continue
    if (SegmentFormat.hasMagic(head)) yield SEGMENT
    const out: Buffer = head
    head = undefined
    yield out
  }
  if (head !== undefined && head.length > 0) yield head
}

/**
 * How far a `.jsonl.zst` may expand: JSONL rollouts compress about 10:1, so a stream that grows
 * past 200 times its compressed size, once past 64 MiB, is a decompression bomb (78 KB that
 * expand to 2 GiB stalled every command for minutes). Reading stops there with a diagnostic.
 */
export const ZSTD_MAX_RATIO = 200
export const ZSTD_MIN_LIMIT = 64 * 1024 * 1024

/** The most bytes a `.jsonl.zst` of `compressedBytes` (read so far) may expand to. */
export const zstdLimit = (compressedBytes: number): number => Math.max(ZSTD_MIN_LIMIT, ZSTD_MAX_RATIO * compressedBytes)

class ZstdTooLarge extends Error {}

async function* zstdBatches(
  framer: LineFramer<Skimmed>,
  chunks: AsyncIterable<Uint8Array>,
  blank?: Sink["blank"]
): AsyncGenerator<ReadonlyArray<Entry | Skimmed>> {
  const path = framer.path
  const { Decompress } = await import("fzstd")
  let pending: Array<Entry | Skimmed> = []
  let sawMagic = false
  let compressedBytes = 0
  let expanded = 0
  // fzstd hands out decompressed data synchronously from push(); frame it there and then, and
  // stop it (by throwing out of push) once it passes the limit.
  const decompress = new Decompress((data) => {
    expanded += data.length
    if (expanded > zstdLimit(compressedBytes)) throw new ZstdTooLarge()
    const out = framer.push(data, blank)
    for (const e of out) pending.push(e)
  })
  const tooLarge = () =>
    Diagnostic.make(
      path,
      0,
      0,
      "too_large",
      `${path} expands past ${ZSTD_MAX_RATIO} times its compressed size (over ${zstdLimit(compressedBytes)} bytes): not a rollout, read no further`
    )
  try {
    for await (const chunk of chunks) {
      if (!sawMagic && compressedBytes === 0 && chunk.length >= 4) {
        if (!ZSTD_MAGIC.every((b, i) => chunk[i] === b)) {
          yield [Diagnostic.make(path, 0, 0, "zstd_error", `${path} is named .zst but is not a zstd stream`)]
          return
        }
        sawMagic = true
      }
      compressedBytes += chunk.length
      // fzstd keeps references to pushed input: give it a copy, the source reuses its buffer.
      decompress.push(Uint8Array.prototype.slice.call(chunk))
      if (pending.length > 0) {
        yield pending
        pending = []
      }
    }
  } catch (error) {
    if (error instanceof ZstdTooLarge) {
      yield [...pending, tooLarge()]
      return
    }
    yield [...pending, Diagnostic.make(path, 0, 0, compressedBytes === 0 ? "read_error" : "zstd_error", `cannot read ${path}: ${errorMessage(error)}`)]
    return
  }
  let broken = false
  if (compressedBytes > 0) {
    try {
      decompress.push(new Uint8Array(0), true)
    } catch (error) {
      broken = true
      pending.push(
        error instanceof ZstdTooLarge
          ? tooLarge()
          : Diagnostic.make(path, 0, 0, "zstd_error", `the zstd stream ends early or is corrupt: ${errorMessage(error)}`)
      )
    }
  }
  // After a zstd error, "empty" would only repeat it.
  const tail = framer.end(blank).filter((e) => !(broken && e._tag === "Diagnostic" && e.kind === "empty_file"))
  const out = [...pending, ...tail]
  if (out.length > 0) yield out
}

/** The entries of `path`, in file order. */
export const stream = (path: string, options: Options = {}): Stream.Stream<Entry, never, Files.Files> =>
  Stream.unwrap(
    Effect.map(Files.Files, (files) =>
      // Each batch is non-empty and becomes one stream chunk as it is, without per-entry copying.
      Stream.fromAsyncIterable(batches(files, path, options) as AsyncIterable<NonEmptyReadonlyArray<Entry>>, (error) => error).pipe(
        Stream.orDie,
        Stream.flattenArray
      )
    )
  )

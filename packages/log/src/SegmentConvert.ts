/**
 * Converting a rollout file between JSONL (`.jsonl`, or `.jsonl.zst` as input) and a segment
 * (`.rseg`), with the direction taken from the output's extension. The output is written to a
 * temporary file beside it and moved into place only when complete, and never over an existing
 * file unless asked. JSONL → segment is checked before the move: the new segment is decoded again
 * and must give back the input's exact bytes (same SHA-256). It is the file-level operation only;
 * the command line around it is `rollout convert`.
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Decompress } from "fzstd"
import * as Diagnostic from "./Diagnostic.js"
import * as DurableFile from "./DurableFile.js"
import * as RolloutReader from "./RolloutReader.js"
import type * as Files from "./Files.js"
import * as SegmentFormat from "./SegmentFormat.js"
import * as SegmentReader from "./internal/SegmentReader.js"
import { SegmentWriter } from "./SegmentWriter.js"

export type Direction = "toSegment" | "toJsonl"

export type Result =
  | { readonly _tag: "Converted"; readonly direction: Direction; readonly lines: number; readonly bytesIn: number; readonly bytesOut: number }
  /** The arguments do not make a conversion (extensions, existing output). */
  | { readonly _tag: "Usage"; readonly message: string }
  /** The input cannot be opened or read. */
  | { readonly _tag: "Unreadable"; readonly message: string }
  /** The input was read but is not what it should be (a damaged segment or zstd stream). */
  | { readonly _tag: "Invalid"; readonly message: string }

export const direction = (out: string): Direction | undefined =>
  SegmentFormat.isSegmentPath(out) ? "toSegment" : out.endsWith(".jsonl") ? "toJsonl" : undefined

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

class ReadFailure extends Error {}
class ZstdFailure extends Error {}

/** The file's chunks; a failure of the source (as opposed to of decoding) becomes a `ReadFailure`. */
async function* source(files: Files.Shape, path: string): AsyncGenerator<Uint8Array> {
  const it = files.chunks(path)[Symbol.asyncIterator]()
  for (;;) {
    let next: IteratorResult<Uint8Array>
    try {
      next = await it.next()
    } catch (error) {
      throw new ReadFailure(message(error))
    }
    if (next.done === true) return
    yield next.value
  }
}

/** A file's bytes, decompressed when it is a `.zst`. */
async function* plain(files: Files.Shape, path: string): AsyncGenerator<Uint8Array> {
  if (!path.endsWith(".zst")) {
    yield* source(files, path)
    return
  }
  let pending: Array<Uint8Array> = []
  let compressed = 0
  let expanded = 0
  // The readers' limit on a decompression bomb (`RolloutReader.zstdLimit`): converting one would
  // write gigabytes for minutes.
  const decompress = new Decompress((data) => {
    expanded += data.length
    if (expanded > RolloutReader.zstdLimit(compressed)) {
      throw new ZstdFailure(
        `it expands past ${RolloutReader.ZSTD_MAX_RATIO} times its compressed size (over ${RolloutReader.zstdLimit(compressed)} bytes): not a rollout`
      )
    }
    pending.push(data)
  })
  const push = (chunk: Uint8Array, final: boolean) => {
    compressed += chunk.length
    try {
      decompress.push(chunk, final)
    } catch (error) {
      throw error instanceof ZstdFailure ? error : new ZstdFailure(message(error))
    }
  }
  for await (const chunk of source(files, path)) {
    // fzstd keeps references to pushed input: give it a copy, the source reuses its buffer.
    push(Uint8Array.prototype.slice.call(chunk), false)
    yield* pending
    pending = []
  }
  push(new Uint8Array(0), true)
  yield* pending
}

/** The temporary files convert writes (`<output>.tmp-<12 hex>`). */
const CONVERT_TEMP = /\.(rseg|jsonl)\.tmp-[0-9a-f]{12}$/

/** Converts `input` to `output` (direction from `output`'s extension). */
export const convert = async (files: Files.Shape, input: string, output: string, options: { readonly force?: boolean } = {}): Promise<Result> => {
  const dir = direction(output)
  if (dir === undefined)
    return { _tag: "Usage", message: `cannot tell the direction from ${output}: name the output *.rseg (JSONL → segment) or *.jsonl (segment → JSONL)` }
  if (nodePath.resolve(input) === nodePath.resolve(output)) return { _tag: "Usage", message: "the input and the output are the same file" }
  let stat: Files.Stat
  try {
    stat = await files.stat(input)
  } catch (error) {
    return { _tag: "Unreadable", message: `${input}: ${Diagnostic.why(error)}` }
  }
  if (stat.kind !== "file") return { _tag: "Unreadable", message: `${input} is not a file` }
  if (!options.force && fs.existsSync(output)) return { _tag: "Usage", message: `${output} exists (use --force to overwrite it)` }

  const head = await firstBytes(files, input).catch(() => new Uint8Array(0))
  const inputIsSegment = SegmentFormat.hasMagic(head)
  if (dir === "toSegment" && inputIsSegment) return { _tag: "Usage", message: `${input} is already a segment` }
  if (dir === "toJsonl" && !inputIsSegment)
    return { _tag: "Usage", message: `${input} is not a segment (no segment magic bytes); name the output *.rseg to convert JSONL into one` }

  const folder = nodePath.dirname(nodePath.resolve(output))
  // As cp does: the output's folder must exist (a mistyped path creates no folders).
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return { _tag: "Usage", message: `cannot write ${output}: no folder ${folder}` }
  const temp = `${output}.tmp-${crypto.randomBytes(6).toString("hex")}`
  // A convert killed before its rename left its temporary file; the next one into the folder cleans up.
  DurableFile.removeStale(nodePath.dirname(nodePath.resolve(output)), CONVERT_TEMP)
  const done = DurableFile.track(temp)
  const out = fs.createWriteStream(temp)
  const write = (b: Uint8Array) => (out.write(b) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve())))
  let lines = 0
  let bytesOut = 0
  const inputHash = crypto.createHash("sha256")
  try {
    if (dir === "toSegment") {
      const writer = new SegmentWriter()
      for await (const chunk of plain(files, input)) {
        inputHash.update(chunk)
        for (const b of writer.push(chunk)) await write(b)
      }
      for (const b of writer.end()) await write(b)
      lines = writer.lines
    } else {
      for await (const chunk of SegmentReader.jsonl(source(files, input))) {
        for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++
        if (chunk.length > 0 && chunk[chunk.length - 1] !== 0x0a) lines++
        await write(chunk)
      }
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
    bytesOut = (await fs.promises.stat(temp)).size
    DurableFile.syncFile(temp)
    if (dir === "toSegment") {
      const check = crypto.createHash("sha256")
      for await (const chunk of SegmentReader.jsonl(files.chunks(temp))) check.update(chunk)
      if (check.digest("hex") !== inputHash.digest("hex")) throw new Error("internal error: the segment does not decode to the input's bytes")
    }
    await place(temp, output, options.force === true)
    DurableFile.syncDir(nodePath.dirname(nodePath.resolve(output)))
  } catch (error) {
    out.destroy()
    await fs.promises.rm(temp, { force: true })
    if (error instanceof ReadFailure) return { _tag: "Unreadable", message: `cannot read ${input}: ${error.message}` }
    if (error instanceof SegmentReader.SegmentError) return { _tag: "Invalid", message: `${input}: damaged segment at line ${error.line}: ${error.message}` }
    if (error instanceof ExistsError) return { _tag: "Usage", message: `${output} exists (use --force to overwrite it)` }
    if (error instanceof ZstdFailure) return { _tag: "Invalid", message: `${input}: not a valid zstd stream: ${error.message}` }
    throw error
  } finally {
    done()
  }
  return { _tag: "Converted", direction: dir, lines, bytesIn: stat.size, bytesOut }
}

class ExistsError extends Error {}

/** Moves the finished file into place; without `force`, a link that fails if `output` appeared meanwhile. */
const place = async (temp: string, output: string, force: boolean): Promise<void> => {
  if (force) return fs.promises.rename(temp, output)
  try {
    await fs.promises.link(temp, output)
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") throw new ExistsError()
    throw error
  }
  await fs.promises.rm(temp, { force: true })
}

const firstBytes = async (files: Files.Shape, path: string): Promise<Uint8Array> => {
  let head = Buffer.alloc(0)
  for await (const chunk of files.chunks(path)) {
    head = Buffer.concat([head, chunk])
    if (head.length >= SegmentFormat.MAGIC.length) break
  }
  return head
}

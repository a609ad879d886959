/**
 * The typed lines of a byte range of a plain JSONL rollout, each with where it starts and ends,
 * for readers that start in the middle of a file (the turn index and the pages rebuilt from it).
 * Lines are triaged, decoded and skipped exactly as `ThreadFold.foldPaths` does, so a fold over a
 * range sees what the whole-file fold sees there. A line without its newline is read only as the
 * last line of the file (`whole`); an index stops before it, since it may still be written.
 */
import * as fs from "node:fs"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as HotLines from "@rollout/reduce/HotLines"

export interface Position {
  /** Byte offset of the line's first byte. */
  readonly offset: number
  /** Byte offset just after its newline. */
  readonly end: number
  /** 1-based line number in the file. */
  readonly line: number
}

export interface Reader<S> {
  readonly triage: (s: S, value: Readonly<Record<string, unknown>>) => "decode" | "count" | "skip"
  readonly count: (s: S, n: number) => S
  readonly step: (s: S, line: RolloutLine.RolloutLine, at: Position) => S
}

/** Whether the range reader can read `path` (plain JSONL: compressed files and segments are not sliced). */
export const sliceable = (path: string): boolean => path.endsWith(".jsonl")

const CHUNK = 1 << 20

async function* slice(path: string, from: number, to: number): AsyncGenerator<Uint8Array> {
  const handle = await fs.promises.open(path, "r")
  try {
    let position = from
    while (position < to) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, to - position))
      const { bytesRead } = await handle.read(buf, 0, buf.length, position)
      if (bytesRead === 0) return
      position += bytesRead
      yield buf.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}

export interface Range {
  readonly from: number
  readonly to: number
  /** The line number of the line at `from`. */
  readonly line: number
  /** Read an unterminated last line too (a page); an index leaves it for later. */
  readonly whole: boolean
}

/**
 * Folds the lines of `[from, to)` (`from` at a line start). Returns the state and the offset just
 * after the last line read, where a later read goes on.
 */
export const fold = async <S>(
  path: string,
  range: Range,
  init: S,
  reader: Reader<S>
): Promise<{ readonly state: S; readonly end: number; readonly line: number }> => {
  const files: Files.Shape = { ...Files.node, chunks: (p) => slice(p, range.from, range.to) }
  let state = init
  let counted = 0
  let end = range.from
  let next = range.line
  const flush = () => {
    if (counted > 0) state = reader.count(state, counted)
    counted = 0
  }
  for await (const batch of RolloutReader.batches(files, path, { batchBytes: 64 << 10 })) {
    for (const entry of batch) {
      if (entry._tag !== "Line") continue
      const at: Position = {
        offset: range.from + entry.offset,
        end: range.from + entry.offset + Buffer.byteLength(entry.raw) + 1,
        line: range.line + entry.line - 1
      }
      if (!entry.terminated && !range.whole) {
        flush()
        return { state, end, line: next }
      }
      end = at.end
      next = at.line + 1
      const what = reader.triage(state, entry.value)
      if (what !== "decode") {
        if (what === "count") counted++
        continue
      }
      flush()
      const typed = HotLines.view(entry.value) ?? decoded(entry.value)
      if (typed !== undefined) state = reader.step(state, typed, at)
    }
  }
  flush()
  return { state, end, line: next }
}

const decoded = (value: Readonly<Record<string, unknown>>): RolloutLine.RolloutLine | undefined => {
  const d = RolloutLine.decode(value)
  return d._tag === "Known" ? d.line : undefined
}

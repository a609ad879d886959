/**
 * The lossless codec: a line read from a file keeps its raw text next to its typed view, and
 * encoding such a line gives back exactly that text; a line built in code is encoded the way Codex
 * writes it (field order, `null` vs omitted, `19.0`). Typing is lazy and per line, so a reader that
 * only frames lines pays nothing for it; a plain line (`PlainLine`) is typed as parsed.
 */
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as Diagnostic from "./Diagnostic.js"
import type * as Files from "./Files.js"
import * as PlainLine from "./internal/PlainLine.js"
import type { LogLine } from "./LineFramer.js"
import * as RolloutReader from "./RolloutReader.js"

/** A line as read: where it was, its raw text, and what it decoded to. */
export interface ReadRecord {
  readonly line: number
  readonly offset: number
  readonly raw: string
  readonly decoded: RolloutLine.Decoded
}

export const decode = (l: LogLine): ReadRecord => ({ line: l.line, offset: l.offset, raw: l.raw, decoded: RolloutLine.decode(l.value) })

/** The text of a line (no newline): its raw bytes when it was read, Codex's spelling when built. */
export const encode = (value: ReadRecord | RolloutLine.RolloutLine): string =>
  "raw" in value && typeof value.raw === "string" ? value.raw : RolloutLine.encode(value as RolloutLine.RolloutLine)

/**
 * The typed lines of a file, in order. Diagnostics, unknown and invalid lines go to `onProblem`
 * (the raw text of unknown and invalid lines stays available there); the stream goes on.
 */
export async function* knownLines(
  files: Files.Shape,
  path: string,
  onProblem: (problem: Diagnostic.Diagnostic | ReadRecord) => void = () => {}
): AsyncGenerator<RolloutLine.RolloutLine> {
  for await (const batch of RolloutReader.batches(files, path)) {
    for (const entry of batch) {
      if (entry._tag === "Diagnostic") {
        onProblem(entry)
        continue
      }
      const plain = PlainLine.view(entry.value)
      if (plain !== undefined) {
        yield plain
        continue
      }
      const decoded = RolloutLine.decode(entry.value)
      if (decoded._tag === "Known") yield decoded.line
      else onProblem({ line: entry.line, offset: entry.offset, raw: entry.raw, decoded })
    }
  }
}

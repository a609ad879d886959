/**
 * Reading what `rollout resume` needs, in bounded memory: a thread's rollout files are read from
 * the end (newest file first, each with the backward reader) and fed to `ResumeTail` until it says
 * older lines cannot change the answer, typically at the newest compaction checkpoint that survives
 * the rollbacks after it. The answer always equals the forward fold of every line. A `.jsonl.zst`
 * file cannot be entered from the end: it is read forward, then fed newest first. A paginated fork
 * whose own lines do not settle it goes on into its parent's lines before the fork
 * (`session_meta.history_base`), as Codex resumes one. Problems go to `report` as they are met
 * (only in the part read); the lines around them are still used.
 */
import { Effect } from "effect"
import * as BackwardReader from "@rollout/log/BackwardReader"
import type * as Diagnostic from "@rollout/log/Diagnostic"
import * as Files from "@rollout/log/Files"
import * as HistoryBase from "@rollout/log/HistoryBase"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as ResumeTail from "@rollout/reduce/ResumeTail"
import { Diagnostics } from "./Diagnostics.js"
import { UnreadableInput } from "./QueryError.js"
import * as ThreadFold from "./ThreadFold.js"

export interface Result {
  readonly output: ResumeHistory.Output
  /** Typed lines fed to the fold (from the end). */
  readonly linesRead: number
  /** Whether a file was read forward (compressed, or a file system that cannot seek). */
  readonly forward: boolean
  /** Set when a file could not be read at all. */
  readonly unreadable: string | undefined
}

const invalid = (path: string, where: string, decoded: RolloutLine.Decoded): string | undefined =>
  decoded._tag === "Invalid" ? `${path}:${where}: invalid_payload: ${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}\n` : undefined

export interface ReadOptions extends BackwardReader.Options {
  /**
   * The Codex home a paginated fork's parent is found in: with it, a thread whose own lines do not
   * settle the answer goes on into the history its `session_meta.history_base` names (the parent's
   * lines before the fork, then the parent's base), as Codex resumes a fork. Without it, only `paths`.
   */
  readonly home?: string
}

export const read = async (files: Files.Shape, paths: ReadonlyArray<string>, report: (text: string) => void, options: ReadOptions = {}): Promise<Result> => {
  const tail = ResumeTail.make()
  let linesRead = 0
  let forward = false
  let unreadable: string | undefined
  const problem = (d: Diagnostic.Diagnostic, where: string) => {
    if (d.kind === "read_error") unreadable = d.message
    report(`${d.path}:${where}: ${d.kind}: ${d.message}\n`)
  }
  /** Feeds `path` newest line first; a base's lines written after the fork (`endOrdinal`) are not fed. */
  const feedFile = async (view: Files.Shape, path: string, endOrdinal?: number) => {
    const feed = (line: RolloutLine.RolloutLine) => {
      if (endOrdinal !== undefined && line.ordinal !== undefined && line.ordinal >= endOrdinal) return
      linesRead++
      tail.add(line)
    }
    if (!BackwardReader.supports(view, path)) {
      forward = true
      const lines: Array<RolloutLine.RolloutLine> = []
      for await (const line of RolloutCodec.knownLines(view, path, (p) => {
        if ("_tag" in p) problem(p, String(p.line))
        else {
          const text = invalid(path, String(p.line), p.decoded)
          if (text !== undefined) report(text)
        }
      }))
        lines.push(line)
      for (let j = lines.length - 1; j >= 0 && tail.need() !== "nothing"; j--) feed(lines[j] as RolloutLine.RolloutLine)
      return
    }
    for await (const batch of BackwardReader.batches(view, path, options)) {
      for (const entry of batch) {
        if (entry._tag === "Diagnostic") {
          problem(entry, entry.line > 0 ? String(entry.line) : `byte ${entry.byteOffset}`)
          continue
        }
        // Looking only for the newest token usage: skip decoding every other line.
        if (tail.need() === "token_usage" && !entry.raw.includes('"token_count"')) continue
        const decoded = RolloutLine.decode(entry.value)
        if (decoded._tag === "Known") feed(decoded.line)
        else {
          const text = invalid(path, `byte ${entry.offset}`, decoded)
          if (text !== undefined) report(text)
        }
        if (tail.need() === "nothing") return
      }
    }
  }
  for (let i = paths.length - 1; i >= 0 && tail.need() !== "nothing"; i--) await feedFile(files, paths[i] as string)
  const first = paths[0]
  if (options.home !== undefined && first !== undefined && tail.need() !== "nothing") {
    // Codex resumes a paginated fork from its parent's history before the fork, then its own lines.
    for await (const base of HistoryBase.chain(files, options.home, await HistoryBase.firstMeta(files, first))) {
      for (let i = base.paths.length - 1; i >= 0 && tail.need() !== "nothing"; i--) await feedFile(base.files, base.paths[i] as string, base.endOrdinal)
      if (tail.need() === "nothing") break
    }
  }
  return { output: tail.finish(), linesRead, forward, unreadable }
}

/**
 * The history a resumed thread starts from, for a thread id or path (see `ThreadFold.resolve`);
 * problems go to `Diagnostics`. Fails only when a file could not be read and no line was.
 */
export const resume = (arg: string, home: string): Effect.Effect<ResumeHistory.Output, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const paths = yield* ThreadFold.resolve(arg, home)
    const files = yield* Files.Files
    const diagnostics = yield* Diagnostics
    const result = yield* Effect.promise(() => read(files, paths, diagnostics.report, { home }))
    if (result.unreadable !== undefined && result.linesRead === 0) return yield* new UnreadableInput({ message: result.unreadable })
    return result.output
  })

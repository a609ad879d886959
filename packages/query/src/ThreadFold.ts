/**
 * Reading a thread's lines: a thread id is looked up under the Codex home, anything else is a
 * path. `foldPaths` is the streaming fold driver every thread question runs on. Lines that cannot
 * be read or typed go to `Diagnostics` as `path:line: kind: message` and are skipped; the fold
 * goes on with the rest. It holds no reducer of its own.
 */
import { Effect } from "effect"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import { Diagnostics } from "./Diagnostics.js"
import { UnreadableInput } from "./QueryError.js"
import * as ReadAhead from "./ReadAhead.js"
import * as ThreadArgument from "./ThreadArgument.js"

/** The rollout files of one thread, oldest segment first (see `ThreadArgument`: ids, prefixes, one thread only). */
export const resolve = (arg: string, home: string): Effect.Effect<ReadonlyArray<string>, UnreadableInput, Files.Files> => ThreadArgument.resolve(arg, home)

/** Every typed line of the thread, in order; problems go to `Diagnostics`. */
export const lines = (arg: string, home: string): Effect.Effect<Array<RolloutLine.RolloutLine>, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const paths = yield* resolve(arg, home)
    const files = yield* Files.Files
    const diagnostics = yield* Diagnostics
    const out: Array<RolloutLine.RolloutLine> = []
    let unreadable: string | undefined
    for (const path of paths) {
      yield* Effect.promise(async () => {
        for await (const line of RolloutCodec.knownLines(files, path, (p) => {
          if ("_tag" in p) {
            if (p.kind === "read_error") unreadable = p.message
            diagnostics.report(`${p.path}:${p.line}: ${p.kind}: ${p.message}\n`)
          } else if (p.decoded._tag === "Invalid") {
            diagnostics.report(`${path}:${p.line}: invalid_payload: ${p.decoded.what}: ${p.decoded.message.replace(/\s*\n\s*/g, "; ")}\n`)
          }
        }))
          out.push(line)
      })
    }
    if (unreadable !== undefined && out.length === 0) return yield* new UnreadableInput({ message: unreadable })
    return out
  })

/** Read batches small enough to die young while a fold works through them (see `RolloutReader.Options`). */
const BATCH_BYTES = 64 << 10

/**
 * Folds every typed line of `paths` (a thread's segments, in order) into `step`, one read batch at
 * a time, so memory is the state plus one batch whatever the file's size; problems are reported
 * as with `lines` unless `quiet`. `stop` ends the read early once the state says enough was seen.
 * `triage` lets the fold say, from a line's raw JSON, that it needs no decoding: `count` passes it
 * to `count`, `skip` drops it (such lines are not checked, hence not reported).
 */
export const foldPaths = <S>(
  paths: ReadonlyArray<string>,
  init: S,
  step: (state: S, line: RolloutLine.RolloutLine) => S,
  options: {
    readonly stop?: (state: S) => boolean
    readonly quiet?: boolean
    readonly triage?: (state: S, value: Readonly<Record<string, unknown>>) => "decode" | "count" | "skip"
    /** Takes `n` counted lines in a row at once (called before the next decoded line and at the end). */
    readonly count?: (state: S, n: number) => S
    /** A cheaper typed view of some lines (exactly what the decoder gives), tried first. */
    readonly view?: (value: Readonly<Record<string, unknown>>) => RolloutLine.RolloutLine | undefined
    /**
     * Read large files in a second thread that classifies lines with this stateless version of
     * `triage` (see `ReadAhead`); it must agree with `triage` on every line it does not leave to it.
     */
    readonly readAhead?: ReadAhead.Classifier
    /** Per path, the offset of the last line to read: the read of that path ends before any line past it. */
    readonly ends?: ReadonlyArray<number>
    /**
     * Called after each batch with how far the fold has read: the position (the offsets of the
     * earlier paths' `ends`, plus one each, before this path's offset) of the last line it decoded.
     */
    readonly after?: (state: S, position: number) => S
  } = {}
): Effect.Effect<S, UnreadableInput, Files.Files | Diagnostics> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const diagnostics = yield* Diagnostics
    const report = options.quiet === true ? () => {} : diagnostics.report
    const stop = options.stop ?? (() => false)
    const triage = options.triage ?? (() => "decode" as const)
    const count = options.count ?? ((s: S) => s)
    let counted = 0
    const flush = () => {
      if (counted > 0) state = count(state, counted)
      counted = 0
    }
    let state = init
    let known = 0
    let unreadable: string | undefined
    let base = 0
    for (let p = 0; p < paths.length; p++) {
      const path = paths[p] as string
      const end = options.ends?.[p] ?? Number.POSITIVE_INFINITY
      let at = -1
      const done = yield* Effect.promise(async () => {
        const ahead = options.readAhead !== undefined && (await ReadAhead.available(files, path))
        const source = ahead
          ? ReadAhead.batches(path, options.readAhead as ReadAhead.Classifier, BATCH_BYTES)
          : RolloutReader.batches(files, path, { batchBytes: BATCH_BYTES })
        for await (const batch of source) {
          let past = false
          for (const entry of batch) {
            if (entry._tag !== "Count" && entry._tag !== "Skip" && entry.line >= 1 && (entry._tag === "Diagnostic" ? entry.byteOffset : entry.offset) > end) {
              past = true
              break
            }
            if (entry._tag === "Count" || entry._tag === "Skip") {
              known += entry.n
              if (entry._tag === "Count") counted += entry.n
              continue
            }
            if (entry._tag === "Diagnostic") {
              if (entry.kind === "read_error") unreadable = entry.message
              report(`${entry.path}:${entry.line}: ${entry.kind}: ${entry.message}\n`)
              continue
            }
            const what = triage(state, entry.value)
            if (what !== "decode") {
              known++
              if (what === "count") counted++
              continue
            }
            flush()
            at = entry.offset
            const fast = options.view?.(entry.value)
            if (fast !== undefined) {
              known++
              state = step(state, fast)
              continue
            }
            const decoded = RolloutLine.decode(entry.value)
            if (decoded._tag === "Known") {
              known++
              state = step(state, decoded.line)
            } else if (decoded._tag === "Invalid") {
              report(`${path}:${entry.line}: invalid_payload: ${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}\n`)
            }
          }
          flush()
          if (options.after !== undefined && at >= 0) state = options.after(state, base + at)
          if (stop(state)) return true
          if (past) return false
        }
        return false
      })
      if (done) break
      base += end + 1
    }
    if (unreadable !== undefined && known === 0) return yield* new UnreadableInput({ message: unreadable })
    return state
  })

/**
 * What continuing a thread needs from its rollout, read from the end of the file: the thread's
 * `session_meta` (its first line: id, base instructions, history mode), the model-visible history
 * and token usage the resume reducer rebuilds (`ResumeTail`, which stops at the newest checkpoint
 * that survives), the newest `turn_context` (the previous turn's settings), the newest model context
 * window and the stamp and ordinal of the last line. A paginated fork goes on into its parent's
 * history (`HistoryBase`) when its own lines do not settle these. It only reads; refusing what
 * cannot be continued is the caller's business.
 */
import * as BackwardReader from "@rollout/log/BackwardReader"
import type * as Files from "@rollout/log/Files"
import * as HistoryBase from "@rollout/log/HistoryBase"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as ResumeTail from "@rollout/reduce/ResumeTail"

export type JsonObject = { readonly [key: string]: unknown }

export interface Source {
  /** The raw `session_meta` payload of the first line, or undefined when the file does not start with one. */
  readonly meta: JsonObject | undefined
  readonly output: ResumeHistory.Output
  /** The raw payload of the newest `turn_context`, if the part read has one. */
  readonly turnContext: JsonObject | undefined
  readonly modelContextWindow: number | undefined
  /** Epoch ms of the last line (the recorder's stamp for lines it does not persist). */
  readonly lastStamp: number
  /** The last line's `ordinal` (paginated history mode numbers every line). */
  readonly lastOrdinal: number | undefined
}

/** The newest model context window a line states (a turn's start or a token count). */
const contextWindow = (line: RolloutLine.RolloutLine): number | undefined => {
  if (line.type !== "event_msg") return undefined
  const payload = line.payload as { type: string; model_context_window?: unknown; info?: { model_context_window?: unknown } | null }
  const value =
    payload.type === "task_started" || payload.type === "turn_started"
      ? payload.model_context_window
      : payload.type === "token_count"
        ? payload.info?.model_context_window
        : undefined
  return typeof value === "number" ? value : undefined
}

/**
 * Reads `path` (a plain `.jsonl`: a compressed file cannot be entered from the end nor appended to),
 * and, for a paginated fork whose own lines do not settle it, its parent's lines before the fork
 * (`session_meta.history_base`, found in `home`), as Codex resumes a fork.
 */
export const read = async (files: Files.Shape, path: string, home?: string): Promise<Source> => {
  const meta = await HistoryBase.firstMeta(files, path)
  const tail = ResumeTail.make()
  let turnContext: JsonObject | undefined
  let modelContextWindow: number | undefined
  let last: { stamp: number; ordinal: number | undefined } | undefined
  const done = () => tail.need() === "nothing" && turnContext !== undefined && modelContextWindow !== undefined
  /** Feeds `file` newest line first, but for a base's lines written after the fork (`endOrdinal`). */
  const feed = async (view: Files.Shape, file: string, endOrdinal?: number) => {
    for await (const batch of BackwardReader.batches(view, file)) {
      for (const entry of batch) {
        if (entry._tag !== "Line") continue
        const decoded = RolloutLine.decode(entry.value)
        if (decoded._tag !== "Known") continue
        const line = decoded.line
        if (endOrdinal !== undefined && line.ordinal !== undefined && line.ordinal >= endOrdinal) continue
        last ??= { stamp: Date.parse(line.timestamp), ordinal: line.ordinal }
        if (turnContext === undefined && line.type === "turn_context") turnContext = (entry.value as { payload: JsonObject }).payload
        modelContextWindow ??= contextWindow(line)
        tail.add(line)
        if (done()) return
      }
    }
  }
  await feed(files, path)
  if (home !== undefined && !done()) {
    for await (const base of HistoryBase.chain(files, home, meta)) {
      for (let i = base.paths.length - 1; i >= 0 && !done(); i--) {
        const file = base.paths[i] as string
        if (BackwardReader.supports(base.files, file)) await feed(base.files, file, base.endOrdinal)
      }
      if (done()) break
    }
  }
  return { meta, output: tail.finish(), turnContext, modelContextWindow, lastStamp: last?.stamp ?? 0, lastOrdinal: last?.ordinal }
}

/** Whether `read` can read `path` from its end. */
export const supports = (files: Files.Shape, path: string): boolean => BackwardReader.supports(files, path)

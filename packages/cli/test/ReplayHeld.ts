/**
 * The replay as it was before pages (restated from the code this round replaced, for the tests to
 * hold the paged replay to): every line of the thread held, the diagnostics reported as they were,
 * and each frame built from a fold of lines 1..position from scratch, its work log folded from
 * line 1 too. Slow on purpose: it is the plain definition, not a second implementation.
 */
import type * as Files from "@rollout/log/Files"
import type { LogLine } from "@rollout/log/LineFramer"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadWork from "@rollout/reduce/ThreadWork"
import * as WorkLog from "@rollout/reduce/WorkLog"
import * as Transcript from "@rollout/view/Transcript"
import { KEYS, SEPARATORS } from "../src/ReplayStep.js"

export interface Entry {
  readonly number: number
  readonly log: LogLine
  readonly typed: RolloutLine.RolloutLine | undefined
}

/** Every line of the files, numbered on across them, and the diagnostics as they were reported. */
export const read = async (files: Files.Shape, paths: ReadonlyArray<string>): Promise<{ readonly entries: Array<Entry>; readonly problems: string }> => {
  const entries: Array<Entry> = []
  let problems = ""
  let base = 0
  for (const path of paths) {
    let last = 0
    for await (const batch of RolloutReader.batches(files, path)) {
      for (const e of batch) {
        last = Math.max(last, e.line)
        if (e._tag === "Diagnostic") {
          problems += `${e.path}:${e.line}: ${e.kind}: ${e.message}\n`
          continue
        }
        const decoded = RolloutLine.decode(e.value)
        if (decoded._tag === "Invalid") problems += `${path}:${e.line}: invalid_payload: ${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}\n`
        entries.push({ number: base + e.line, log: e, typed: decoded._tag === "Known" ? decoded.line : undefined })
      }
    }
    base += last
  }
  return { entries, problems }
}

const isTurnStart = (e: Entry) => e.typed?.type === "event_msg" && (e.typed.payload.type === "task_started" || e.typed.payload.type === "turn_started")
const isUserMessage = (e: Entry) => e.typed?.type === "event_msg" && e.typed.payload.type === "user_message"
const typedOf = (entries: ReadonlyArray<Entry>) => entries.flatMap((e) => (e.typed === undefined ? [] : [e.typed]))

const clip = (s: string, max: number) => {
  const one = s.replace(/[\r\n\t]+/g, " ")
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

const lineLabel = (e: Entry): string => {
  const t = e.typed
  if (t === undefined) return `${(e.log.value as { type?: unknown }).type ?? "?"} (not a known line type)`
  const inner = (t.payload as { type?: unknown } | null)?.type
  return typeof inner === "string" ? `${t.type}/${inner}` : t.type
}

/** The held replay of `entries`: its positions, turn marks and frames. `base` is a paginated fork's inherited history. */
export const replay = (entries: ReadonlyArray<Entry>, base: PaginatedHistory.State, title: string) => {
  const startsTurn = entries.some(isTurnStart) ? isTurnStart : isUserMessage
  const marks = entries.flatMap((e, i) => (startsTurn(e) ? [i + 1] : []))
  const first = typedOf(entries).find((l) => l.type === "session_meta")
  const paginated = first?.type === "session_meta" && first.payload.history_mode === "paginated"
  const live = (upTo: ReadonlyArray<RolloutLine.RolloutLine>) => {
    if (!paginated) return ThreadHistory.normalize(ThreadHistory.finish(ThreadHistory.fold(upTo)), true)
    const s = upTo.reduce(PaginatedHistory.step, base)
    return [...AppendOnly.toArray(s.older), ...(s.newest === null ? [] : [s.newest])]
  }
  const end = entries.length
  const turnAt = (p: number) => marks.filter((m) => m <= p).length
  const frame = (p: number, message = ""): string => {
    const entry = p === 0 ? undefined : entries[p - 1]
    const upTo = typedOf(entries.slice(0, p))
    const turns = live(upTo)
    const folded = ThreadWork.fold(upTo).work
    const out = [
      `${title}  ·  line ${entry?.number ?? 0} of ${entries.at(-1)?.number ?? 0}  ·  step ${p}/${end}  ·  turn ${turnAt(p)} of ${marks.length}`,
      entry === undefined ? "  (before the first line)" : `  ${lineLabel(entry)}`,
      entry === undefined ? "" : `  ${clip(entry.log.raw, 300)}`,
      "",
      `thread: ${turns.length} turn${turns.length === 1 ? "" : "s"}`,
      ...Transcript.describeTurns(turns, 1, 8, { work: WorkLog.finish(folded), usage: WorkLog.usageByTurn(folded) }),
      "",
      message === "" ? KEYS : message
    ]
    return `${out.join("\n")}\n`
  }
  const clamp = (p: number) => Math.min(Math.max(0, Math.floor(p)), end)
  const positionOf = (n: number) => entries.filter((e) => e.number <= n).length
  /** The output of the step UI (not on a terminal) for these keys, from position `start`. */
  const run = (start: number, keys: ReadonlyArray<string>): string => {
    let out = ""
    const draw = (p: number, message?: string) => {
      out += `${frame(p, message)}\n`
    }
    let p = start
    let goto: string | undefined
    draw(p)
    for (const key of keys) {
      if (goto !== undefined) {
        if (/^[0-9]$/.test(key)) goto += key
        else if (key === "backspace") goto = goto.slice(0, -1)
        else if (key === "enter") {
          const typed = goto
          goto = undefined
          if (typed !== "") p = clamp(positionOf(Number(typed)))
          draw(p)
          continue
        } else if (key === "escape" || key === "q" || key === "ctrl-c") {
          goto = undefined
          draw(p)
          continue
        }
        draw(p, `go to line: ${goto}`)
        continue
      }
      if (SEPARATORS.has(key)) continue
      if (key === "q" || key === "ctrl-c") return out
      if (key === "g") {
        goto = ""
        draw(p, "go to line: ")
        continue
      }
      if (key === "n" || key === "right" || key === "down") p = clamp(p + 1)
      else if (key === "p" || key === "left" || key === "up") p = clamp(p - 1)
      else if (key === "N") p = marks.find((m) => m > p) ?? end
      else if (key === "P") p = marks.filter((m) => m < p).at(-1) ?? 0
      else {
        draw(p, `unknown key ${JSON.stringify(key)} — ${KEYS}`)
        continue
      }
      draw(p)
    }
    return out
  }
  return { end, marks, frame, positionOf, run, lastNumber: entries.at(-1)?.number ?? 0 }
}

/**
 * The reductions `ResumeTrim` tries on the part of a rollout it keeps. Each takes lines in file
 * order and returns fewer or smaller ones; `reduce` keeps a reduction only if the resume fold of
 * its result gives the same answer as before, so none can change what a resume sees. They are
 * conservative where Codex's own resume reads differently from ours: a rolled-back turn is dropped
 * only when it began with a turn start and holds no compaction, and the lines before the newest
 * checkpoint are reduced only when no rollback follows it.
 */
import * as Json from "@rollout/protocol/Json"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as EventRoles from "../EventRoles.js"
import * as ResumeHistory from "../ResumeHistory.js"
import * as Compaction from "./Compaction.js"

export interface Entry {
  readonly raw: string
  readonly line: RolloutLine.RolloutLine | undefined
}

/** What an inline image is replaced by where the model no longer sees it. */
export const IMAGE_PLACEHOLDER = "[image omitted by rollout trim]"

export const hasTokenInfo = (line: RolloutLine.RolloutLine): boolean =>
  line.type === "event_msg" && line.payload.type === "token_count" && line.payload.info !== undefined && line.payload.info !== null

const isEvent = (line: RolloutLine.RolloutLine | undefined, ...types: ReadonlyArray<string>): boolean =>
  line?.type === "event_msg" && types.includes(line.payload.type)

const isUserTurnStart = (line: RolloutLine.RolloutLine): boolean =>
  (line.type === "response_item" && Compaction.isUserTurnBoundary(line.payload)) || line.type === "inter_agent_communication" || isEvent(line, "user_message")

/** The fold's whole answer, as text to compare. */
export const answer = (entries: ReadonlyArray<Entry>): string => {
  let s = ResumeHistory.empty
  for (const e of entries) if (e.line !== undefined) s = ResumeHistory.step(s, e.line)
  return Json.stringify(ResumeHistory.finish(s))
}

/**
 * Turns undone by a rollback, with the rollback: from the `turn_started` of the oldest user turn
 * it pops to the rollback itself. The newest token usage in such a range is kept (rollbacks do not
 * undo it).
 */
export const dropRolledBack = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> => {
  const drop = new Array<boolean>(entries.length).fill(false)
  let open: { start: number; explicit: boolean; user: boolean } | null = null
  let users: Array<{ start: number; explicit: boolean }> = []
  entries.forEach((e, i) => {
    const line = e.line
    if (line === undefined) return
    if (isEvent(line, "task_started", "turn_started")) open = { start: i, explicit: true, user: false }
    else if (isUserTurnStart(line)) {
      open ??= { start: i, explicit: false, user: false }
      if (!open.user) {
        open.user = true
        users.push(open)
      }
    } else if (isEvent(line, "task_complete", "turn_complete", "turn_aborted")) open = null
    else if (line.type === "event_msg" && line.payload.type === "thread_rolled_back") {
      open = null
      const n = line.payload.num_turns
      if (n <= 0) return
      if (n > users.length) {
        users = []
        return
      }
      const first = users[users.length - n] as { start: number; explicit: boolean }
      users = users.slice(0, users.length - n)
      const range = entries.slice(first.start, i + 1)
      if (!first.explicit || range.some((r) => r.line?.type === "compacted")) return
      let newestToken = -1
      range.forEach((r, j) => {
        if (r.line !== undefined && hasTokenInfo(r.line)) newestToken = j
      })
      for (let j = first.start; j <= i; j++) drop[j] = j - first.start !== newestToken
    }
  })
  return entries.filter((_, i) => !drop[i])
}

/** The line with its inline images replaced, or the line itself when it has none. */
const withoutImages = (e: Entry): Entry => {
  if (!e.raw.includes('"data:')) return e
  const value = JSON.parse(e.raw) as { payload?: Record<string, unknown> }
  const payload = value.payload
  if (payload === undefined) return e
  if (Array.isArray(payload["content"])) {
    payload["content"] = payload["content"].map((part: { type?: unknown; image_url?: unknown }) =>
      part?.type === "input_image" && typeof part.image_url === "string" && part.image_url.startsWith("data:")
        ? { type: "input_text", text: IMAGE_PLACEHOLDER }
        : part
    )
  }
  if (Array.isArray(payload["images"])) payload["images"] = payload["images"].filter((u: unknown) => !(typeof u === "string" && u.startsWith("data:")))
  const raw = Json.stringify(value)
  const decoded = RolloutLine.decode(JSON.parse(raw))
  return decoded._tag === "Known" ? { raw, line: decoded.line } : e
}

/** Whether a line before the newest checkpoint is still read by the resume fold (or by Codex's). */
const readBeforeCheckpoint = (line: RolloutLine.RolloutLine | undefined): boolean => {
  if (line === undefined) return true
  switch (line.type) {
    case "response_item":
      return Compaction.isUserTurnBoundary(line.payload)
    case "event_msg":
      return EventRoles.reads("resume", line.payload)
    default:
      return true
  }
}

/**
 * Before the newest checkpoint: only what the fold reads (turn bounds, user turns, settings,
 * checkpoints, rollbacks), inline images replaced, and of the token counts only the last non-null.
 */
export const reduceBeforeCheckpoint = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> => {
  const checkpoint = entries.findLastIndex((e) => e.line?.type === "compacted" && e.line.payload.replacement_history !== undefined)
  if (checkpoint < 0) return entries
  if (entries.slice(checkpoint).some((e) => isEvent(e.line, "thread_rolled_back"))) return entries
  const lastToken = entries.slice(0, checkpoint).findLastIndex((e) => e.line !== undefined && hasTokenInfo(e.line))
  const before = entries
    .slice(0, checkpoint)
    .flatMap((e, i) => (!readBeforeCheckpoint(e.line) || (isEvent(e.line, "token_count") && i !== lastToken) ? [] : [withoutImages(e)]))
  return [...before, ...entries.slice(checkpoint)]
}

const payloadText = (e: Entry): string => JSON.stringify((JSON.parse(e.raw) as { payload?: unknown }).payload)

/** A token count identical to the token count before it says nothing new. */
export const dropRepeatedTokens = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> => {
  let previous: string | undefined
  return entries.filter((e) => {
    if (!isEvent(e.line, "token_count")) return true
    const text = payloadText(e)
    const repeated = text === previous
    previous = text
    return !repeated
  })
}

const REDUCTIONS = [dropRolledBack, reduceBeforeCheckpoint, dropRepeatedTokens] as const

/** Every reduction that keeps the fold's answer, in order. */
export const reduce = (entries: ReadonlyArray<Entry>): ReadonlyArray<Entry> => {
  const expected = answer(entries)
  return REDUCTIONS.reduce((current, f) => {
    const next = f(current)
    return next.length === current.length && next.every((e, i) => e === current[i]) ? current : answer(next) === expected ? next : current
  }, entries)
}

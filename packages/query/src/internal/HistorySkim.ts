/**
 * The first, cheap pass of a streamed `history --json`: what a writer must know before it writes
 * the first turn. The thread header (`ThreadMetadata`: its model, effort and recency come from the
 * last turns) and, for each finished turn, whether a later line can still change it: a line naming
 * a turn that is no longer the one being built (a late completion, an item for an older turn) or a
 * rollback. Lines are judged from their envelope (`LinePrefix`, via the reader's `skim`); only the
 * few that start, end or name turns, and those the header reads, are parsed and decoded. It folds
 * no turns and holds no history: a map of the late-named turns and the rollbacks, nothing per turn
 * (with `work`, a fixed-size filter and the ids that come back: `workNotes`).
 *
 * Exactness rests on one invariant, kept conservatively: a turn id seen while the replay's current
 * turn certainly has that id (set by a decoded turn start, dropped at anything that may end it) is
 * not a late mention, since the fold finds the current turn first. Everything else is recorded.
 */
import type * as Files from "@rollout/log/Files"
import type * as LinePrefix from "@rollout/log/LinePrefix"
import * as RolloutReader from "@rollout/log/RolloutReader"
import type * as EventMsg from "@rollout/protocol/EventMsg"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as EventRoles from "@rollout/reduce/EventRoles"
import * as HotLines from "@rollout/reduce/HotLines"
import * as ItemRoles from "@rollout/reduce/ItemRoles"
import * as PersistenceFilter from "@rollout/reduce/PersistenceFilter"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as SeenFilter from "./SeenFilter.js"

export interface Skim {
  /** The thread's metadata, as the full fold ends with it. */
  readonly metadata: ThreadMetadata.State
  /** Per path, the offset of its last line: the second pass reads no further (a growing file is read as this pass saw it). */
  readonly ends: ReadonlyArray<number>
  /** Whether the turn `id`, at `index` among `length` finished turns, is final once every line up to `position` is folded. */
  readonly final: (position: number, length: number) => (id: string | null, index: number) => boolean
  /** With `work`: the position of the last start of a turn with this id, if an earlier line named the id (-1: none; see `workNotes`). */
  readonly lastStart: (id: string) => number
  /** With `work`: the position of the last line naming this call id after the epoch of its first (-1: none; see `workNotes`). */
  readonly lastCall: (id: string) => number
  /** The highest line number met (of the last path read): with `until`, at most `until`. */
  readonly lastLine: number
  /**
   * With `items`: whether no line after `position` changes `item` in the turn that holds it, as
   * far as its id goes (see `itemNotes`); asked only of items made in an epoch before `position`'s.
   */
  readonly itemFinal: (item: ThreadItem.ThreadItem, position: number) => boolean
  /** With `items`: the epoch of a position (`itemNotes`). */
  readonly epochOf: (position: number) => number
}

/** Response items whose id a work-log call or result carries (`WorkLog`: joined by call id). */
const callItems = new Set<string>([...ItemRoles.where("work")])

/** Replayed events that only touch the turn being built and never end it: the first pass skips them. */
const currentOnly: ReadonlySet<EventMsg.EventMsg["type"]> = new Set<EventMsg.EventMsg["type"]>([
  "agent_message",
  "agent_reasoning",
  "agent_reasoning_raw_content",
  "context_compacted",
  "mcp_tool_call_end",
  "web_search_end",
  "image_generation_end",
  "sub_agent_activity",
  "error"
])

/** Events after which the replay's current turn may be another (or none). */
const enders: ReadonlySet<EventMsg.EventMsg["type"]> = new Set<EventMsg.EventMsg["type"]>([
  "task_complete",
  "turn_complete",
  "turn_aborted",
  "thread_rolled_back",
  "entered_review_mode",
  "exited_review_mode"
])

const named = new Set<string>([...EventRoles.where("history", "replay"), ...EventRoles.where("history", "live"), ...EventRoles.where("metadata", true)])

/** The lines the first pass parses; `preview` says whether the header still waits for its preview. */
const wanted =
  (live: boolean, preview: () => boolean, work: boolean, items: boolean) =>
  (p: LinePrefix.Prefix): boolean => {
    switch (p.type) {
      case "response_item":
        return work && (p.tag === undefined || callItems.has(p.tag))
      case "session_meta":
      case "turn_context":
        return true
      case "event_msg":
        if (live || p.tag === undefined || (work && p.tag === "exec_command_end")) return true
        // A user message only joins or ends an implicit turn, never one a turn start opened: after the preview, skipped.
        if (p.tag === "user_message") return work || preview()
        if (items && ThreadHistory.UPSERTS.has(p.tag)) return true
        return named.has(p.tag) && !currentOnly.has(p.tag as EventMsg.EventMsg["type"])
      default:
        return false
    }
  }

const BATCH_BYTES = 256 << 10

const str = (v: unknown): v is string => typeof v === "string"

/** The events `ThreadHistory.upsertedId` may answer an id for in the live builder: the replay's, and every event it places. */
const LIVE_UPSERTS: ReadonlySet<string> = new Set([...ThreadHistory.UPSERTS, ...EventRoles.where("history", "live")])

/** An event that may put an item in place by id (`ThreadHistory.upsertedId`). */
const isUpsert = (value: Readonly<Record<string, unknown>>, live: boolean): boolean => {
  if (value["type"] !== "event_msg") return false
  const tag = (value["payload"] as { readonly type?: unknown } | null)?.type
  return typeof tag === "string" && (live ? LIVE_UPSERTS : ThreadHistory.UPSERTS).has(tag)
}

const isUserMessage = (value: Readonly<Record<string, unknown>>): boolean =>
  value["type"] === "event_msg" && (value["payload"] as { readonly type?: unknown } | null)?.type === "user_message"

/** Events that may finish the turn being built or drop finished ones (`ThreadHistory`): they end an epoch of `WorkNotes`. */
const finishers = new Set<string>([
  "task_started",
  "turn_started",
  "task_complete",
  "turn_complete",
  "turn_aborted",
  "thread_rolled_back",
  "user_message",
  "entered_review_mode",
  "exited_review_mode"
])

/** Ids the replay mints for implicit turns (`ThreadHistory`): a turn start naming one is always noted. */
const mintedId = /^rollout-\d+$/

/**
 * What a streamed transcript waits for, noted from the lines' raw JSON in memory that does not grow
 * with the file: the position of a turn start whose id came before (`starts`), and of a call id's
 * mentions from the first one in a later epoch on (`calls`). An epoch ends at each line that may
 * finish or drop a turn. Why that is enough: a turn is handed out only once a turn after it has
 * finished, at a line after any call anchored to it was made; so every mention in the epoch of a
 * call's first one is folded by then, and only later epochs' mentions need their positions kept.
 * Ids of past epochs are remembered in a `SeenFilter`; its false "seen" only adds a note.
 */
interface WorkNotes {
  readonly note: (value: Readonly<Record<string, unknown>>, at: number) => void
  readonly starts: Map<string, number>
  readonly calls: Map<string, number>
}

const workNotes = (live: boolean, seen: SeenFilter.SeenFilter): WorkNotes => {
  const starts = new Map<string, number>()
  const calls = new Map<string, number>()
  let epoch = new Set<string>()
  const call = (id: string, at: number) => {
    if (calls.has(id)) calls.set(id, at)
    else if (epoch.has(id)) return
    else {
      if (seen.maybeHas(id)) calls.set(id, at)
      epoch.add(id)
    }
  }
  const turn = (id: string, at: number, start: boolean) => {
    // Every start is noted for the live builder, whose implicit turns take ids this pass cannot know.
    if (start && (live || starts.has(id) || mintedId.test(id) || seen.maybeHas(id))) starts.set(id, at)
    seen.add(id)
  }
  const note = (value: Readonly<Record<string, unknown>>, at: number) => {
    const p = value["payload"]
    if (typeof p !== "object" || p === null) return
    const payload = p as Record<string, unknown>
    const tag = payload["type"]
    if (value["type"] === "event_msg") {
      if (tag === "exec_command_end" && str(payload["call_id"])) call(payload["call_id"], at)
      if (typeof tag !== "string" || !finishers.has(tag)) return
      if (str(payload["turn_id"])) turn(payload["turn_id"], at, tag === "task_started" || tag === "turn_started")
      for (const id of epoch) seen.add(id)
      epoch = new Set()
    } else if (value["type"] === "response_item") {
      if (str(payload["call_id"])) call(payload["call_id"], at)
      if (str(payload["id"])) call(payload["id"], at)
    }
  }
  return { note, starts, calls }
}

/** Ids the replay mints for items (`item-N`, `hook-prompt-N`): an upsert naming one may meet an item minted with it. */
const mintedItem = /^(item|hook-prompt)-\d+$/

/** Bytes of rollout in one epoch of `itemNotes`: a streaming writer holds a long turn's items for one or two. */
export const EPOCH_BYTES = 4 << 20

/** At most this many bits in the filter of upserted ids (8 MiB, touched only as bits are set). */
const ITEM_BITS_LOG2 = 26

/**
 * What a streaming `history --json` waits for before it writes a long turn's items: the lines that
 * put an item in place by id (`ThreadHistory.upsertedId`), replacing an earlier item of that id.
 * The file is cut into epochs of `EPOCH_BYTES`; the writer hands out only items made in an epoch
 * before the one it has read into, so every mention in the epoch of an id's first one is folded by
 * then, and only later epochs' mentions need their positions kept (the last per id). Ids of past
 * epochs go to a `SeenFilter` (a false "seen" only adds a note). Ids the replay mints are noted as
 * one: the last position of any upsert that names or mints such an id.
 */
interface ItemNotes {
  readonly note: (id: string | null, at: number) => void
  readonly final: (item: ThreadItem.ThreadItem, at: number) => boolean
}

const itemNotes = (seen: SeenFilter.SeenFilter, epochOf: (at: number) => number): ItemNotes => {
  const last = new Map<string, number>()
  let epoch = -1
  let current = new Set<string>()
  let minted = -1
  const note = (id: string | null, at: number) => {
    const e = epochOf(at)
    if (e !== epoch) {
      for (const x of current) seen.add(x)
      current = new Set()
      epoch = e
    }
    if (id === null || mintedItem.test(id)) minted = at
    if (id === null) return
    if (last.has(id)) last.set(id, at)
    else if (current.has(id)) return
    else {
      if (seen.maybeHas(id)) last.set(id, at)
      current.add(id)
    }
  }
  const final = (item: ThreadItem.ThreadItem, at: number): boolean => {
    if (mintedItem.test(item.id)) return minted <= at && (last.get(item.id) ?? -1) <= at
    // A hook prompt is pushed, not upserted: an upsert of its id may have come first in its epoch or any other.
    if (item.type === "hookPrompt") return last.has(item.id) ? (last.get(item.id) as number) <= at : !(seen.maybeHas(item.id) || current.has(item.id))
    return (last.get(item.id) ?? -1) <= at
  }
  return { note, final }
}

/**
 * Skims `paths` (a legacy thread's files, in order); `live` for the live builder (`--all-events`);
 * `work` also notes what a streamed transcript waits for (turn starts and call ids).
 */
/** What a first pass notes beyond the header, the turn ends and rollbacks. */
export interface Options {
  /** The work notes a transcript's turns wait for (`workNotes`). */
  readonly work?: boolean
  /** The filters of ids seen, 2^n bits (`SeenFilter`; undefined: its default). */
  readonly seenBitsLog2?: number | undefined
  /** The last line to read, for one path (a thread as its first `until` lines): the pass stops past it. */
  readonly until?: number
  /** What a streaming `history --json` waits for to write a long turn's items (`itemNotes`), in epochs of this many bytes (`EPOCH_BYTES`); none without. */
  readonly epochBytes?: number
}

export const skim = async (files: Files.Shape, paths: ReadonlyArray<string>, live: boolean, options: Options = {}): Promise<Skim> => {
  const { work = false, seenBitsLog2 = SeenFilter.DEFAULT_BITS_LOG2, until = Number.POSITIVE_INFINITY, epochBytes: items } = options
  const start: ThreadRead.State = live ? ThreadRead.live(() => "") : ThreadRead.empty
  let metadata = ThreadMetadata.empty
  let current: string | null = null
  const late = new Map<string, number>()
  const rollbacks: Array<{ readonly at: number; readonly turns: number }> = []
  const ends: Array<number> = []
  const notes = work ? workNotes(live, SeenFilter.make(seenBitsLog2)) : undefined
  const epochOf = (at: number) => Math.floor(at / (items ?? EPOCH_BYTES))
  const placed = items === undefined ? undefined : itemNotes(SeenFilter.make(Math.min(seenBitsLog2, ITEM_BITS_LOG2)), epochOf)
  let base = 0
  const mention = (id: unknown, at: number) => {
    if (typeof id === "string" && id !== current) late.set(id, at)
  }
  const onEvent = (line: RolloutLine.RolloutLine & { type: "event_msg" }, at: number) => {
    const e = line.payload
    if (e.type === "task_started" || e.type === "turn_started") {
      current = live || PersistenceFilter.isPersisted(line) ? e.turn_id : null
      return
    }
    const raw = e as { readonly turn_id?: unknown; readonly turnId?: unknown }
    mention(raw.turn_id, at)
    mention(raw.turnId, at)
    if (e.type === "thread_rolled_back") rollbacks.push({ at, turns: Math.max(0, e.num_turns) })
    if (enders.has(e.type)) current = null
  }
  const skimLine = wanted(live, () => metadata.preview === null, work, items !== undefined)
  let lastLine = 0
  for (const path of paths) {
    let end = -1
    let past = false
    lastLine = 0
    for await (const batch of RolloutReader.batches(files, path, { skim: skimLine, batchBytes: BATCH_BYTES })) {
      for (const entry of batch) {
        if (entry.line > until) {
          past = true
          break
        }
        if (entry.line > lastLine) lastLine = entry.line
        if (entry.line >= 1) end = entry._tag === "Diagnostic" ? entry.byteOffset : entry.offset
        if (entry._tag !== "Line") continue
        if (notes !== undefined) {
          notes.note(entry.value, base + entry.offset)
          // Parsed only to end an epoch: after the preview, a user message changes nothing the header reads.
          if (!live && metadata.preview !== null && isUserMessage(entry.value)) continue
        }
        // The second pass decodes exactly what `ThreadRead.triage` asks for; what it does not decode changes nothing.
        let upsert = placed !== undefined && isUpsert(entry.value, live)
        // The replay's ids are read from the raw line: decoding every tool end would cost the pass a third more.
        if (upsert && !live) {
          const payload = entry.value["payload"] as Readonly<Record<string, unknown>>
          for (const id of ThreadHistory.rawUpsertedIds(payload)) placed?.note(id, base + entry.offset)
          // Parsed only for its id: the header pass skips these as before (decoding them cost as much again).
          if (currentOnly.has(payload["type"] as EventMsg.EventMsg["type"])) continue
          upsert = false
        }
        const folded = ThreadRead.triage({ ...start, metadata }, entry.value) === "decode"
        if (!upsert && !folded) continue
        const fast = HotLines.view(entry.value)
        const decoded = fast === undefined ? RolloutLine.decode(entry.value) : { _tag: "Known" as const, line: fast }
        if (decoded._tag !== "Known") continue
        if (upsert && decoded.line.type === "event_msg") {
          const id = ThreadHistory.upsertedId(decoded.line.payload, live)
          if (id !== undefined) placed?.note(id, base + entry.offset)
        }
        if (!folded) continue
        metadata = ThreadMetadata.step(metadata, decoded.line)
        if (decoded.line.type === "event_msg") onEvent(decoded.line, base + entry.offset)
      }
      // Leaving the loop closes the file.
      if (past) break
    }
    ends.push(end)
    base += end + 1
  }
  return {
    metadata,
    ends,
    final: finalAt(late, rollbacks),
    lastStart: (id) => notes?.starts.get(id) ?? -1,
    lastCall: (id) => notes?.calls.get(id) ?? -1,
    lastLine,
    itemFinal: placed === undefined ? () => false : placed.final,
    epochOf
  }
}

/**
 * A finished turn is final at `position` when no line after it names the turn late, and no later
 * rollback can reach its index (each drops at most its count from the list, which only appends).
 */
const finalAt = (late: ReadonlyMap<string, number>, rollbacks: ReadonlyArray<{ readonly at: number; readonly turns: number }>) => {
  let next = 0
  let pending = rollbacks.reduce((sum, r) => sum + r.turns, 0)
  return (position: number, length: number) => {
    while (next < rollbacks.length && (rollbacks[next] as { readonly at: number }).at <= position)
      pending -= (rollbacks[next++] as { readonly turns: number }).turns
    const safe = length - pending
    // A null id asks only whether the index outlives every later rollback.
    return (id: string | null, index: number): boolean => index < safe && (id === null || (late.get(id) ?? -1) <= position)
  }
}

/**
 * Thread history: the turns and items Codex's app-server rebuilds from a legacy rollout
 * (`ThreadHistoryBuilder`, thread-history spec §3), as a pure fold over typed rollout lines. The
 * legacy persistence filter (§2.3) is applied inside `step`, so callers feed every line they read.
 * State is plain data; `finish` returns the builder's turns and `normalize` applies the
 * app-server's status normalisation (§4.1). It is not the paginated SQLite projection.
 *
 * Folding from `live(freshId)` instead of `empty` gives the live builder: no persistence filter, no
 * rollout indexes, and implicit turns (and id-less hook prompts) get ids from `freshId(n)` (Codex
 * mints UUIDv7s; the caller injects the source, so the fold stays pure and tests deterministic).
 */
import type * as EventMsg from "@rollout/protocol/EventMsg"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HookPrompt from "@rollout/protocol/HookPrompt"
import * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import * as AppendOnly from "./AppendOnly.js"
import * as EventRoles from "./EventRoles.js"
import * as FrozenTurn from "./internal/FrozenTurn.js"
import * as PersistenceFilter from "./PersistenceFilter.js"
import * as Items from "./internal/ThreadHistoryItems.js"
import * as LiveEvents from "./internal/ThreadHistoryLive.js"
import * as Reducer from "./internal/Reducer.js"

type Turn = ThreadItem.Turn
type Item = ThreadItem.ThreadItem

/** The turn being built, with the builder's own flags. */
export interface Pending {
  /** The turn; with `items`, its own `items` are copied out of them when first read (`pendingTurn`). */
  readonly turn: Turn
  /**
   * A long turn's items as the fold appends them: one more costs O(1) (`AppendOnly`) where a copy
   * of the array per item made a turn of N items cost O(N²) to fold. An item replaced by id (an
   * upsert: a tool's end) still costs a search of the list and a copy. Undefined while the turn is
   * short (`LONG_TURN`): `turn.items` is then a plain array, copied per item, which costs less than
   * the list's lazily copied turn. Count with `itemCount`, not `turn.items`, on every line.
   */
  readonly items: AppendOnly.AppendOnly<Item> | undefined
  readonly explicit: boolean
  readonly sawCompaction: boolean
  /**
   * How many of its first items a streaming writer has handed out (`releaseItems`; usually 0): they
   * are no longer held, `turn` and `items` hold the rest. Only a long turn's are handed out.
   */
  readonly written: number
}

export interface State {
  /** Finished turns; `finish` gives them as an array. */
  readonly turns: AppendOnly.AppendOnly<FrozenTurn.FrozenTurn>
  readonly current: Pending | null
  readonly nextItemIndex: number
  /** Kept-line index of the line being handled (`rollout-N`). */
  readonly rolloutIndex: number
  readonly nextRolloutIndex: number
  /** Live builder only: the injected id source, and how many ids it has given so far. */
  readonly live: Live | null
  readonly minted: number
  /** Finished turns a streaming writer took out (`ThreadRead.release`), and their items (a rollback's numbering counts them); absent: none. */
  readonly released?: number
  readonly releasedItems?: number
  /** From how many items a pending turn keeps them in a list (default `LONG_TURN`): a test sets 0 or Infinity to hold the two alike. */
  readonly longTurn?: number | undefined
}

/** The n-th fresh id (n = 0, 1, ...); it must be a pure function of n. */
export type Live = (n: number) => string

/** The persisted replay: filtered lines, `rollout-N` implicit turn ids. */
export const empty: State = { turns: AppendOnly.empty(), current: null, nextItemIndex: 1, rolloutIndex: 0, nextRolloutIndex: 0, live: null, minted: 0 }

/** The live builder (`--all-events`): every line, implicit ids from `freshId`. */
export const live = (freshId: Live): State => ({ ...empty, live: freshId })

const newTurn = (id: string, rootTurnId: string | null, status: ThreadItem.TurnStatus, startedAt: number | null): Turn => ({
  id,
  rootTurnId,
  items: [],
  itemsView: "full",
  status,
  error: null,
  startedAt,
  completedAt: null,
  durationMs: null
})

type Mutable<T> = { -readonly [K in keyof T]?: T[K] }

/**
 * `{ ...s, ...p }` written out as one literal of every field. This runs for every line folded, and
 * an object spread with overrides falls off V8's fast clone path: in a hot loop it costs about
 * seventy times the literal, more than the rest of a step. `undefined` in `p` keeps the field.
 */
const withState = (s: State, p: Mutable<State>): State => ({
  turns: p.turns ?? s.turns,
  current: p.current === undefined ? s.current : p.current,
  nextItemIndex: p.nextItemIndex ?? s.nextItemIndex,
  rolloutIndex: p.rolloutIndex ?? s.rolloutIndex,
  nextRolloutIndex: p.nextRolloutIndex ?? s.nextRolloutIndex,
  live: p.live === undefined ? s.live : p.live,
  minted: p.minted ?? s.minted,
  released: p.released ?? s.released ?? 0,
  releasedItems: p.releasedItems ?? s.releasedItems ?? 0,
  longTurn: s.longTurn
})

/**
 * `t` with the fields the builder changes, as one literal in `Turn`'s output order (positional:
 * a patch object read here would be megamorphic, for the same cost as the spread it replaces).
 */
const turnWith = (
  t: Turn,
  items: ReadonlyArray<Item>,
  status: Turn["status"],
  error: Turn["error"],
  completedAt: Turn["completedAt"],
  durationMs: Turn["durationMs"]
): Turn => ({ id: t.id, rootTurnId: t.rootTurnId, items, itemsView: t.itemsView, status, error, startedAt: t.startedAt, completedAt, durationMs })

/** `t`'s fields in `Turn`'s output order, its `items` those of `list`, copied out once when first read. */
const pendingTurn = (t: Turn, list: AppendOnly.AppendOnly<Item>): Turn => {
  let items: ReadonlyArray<Item> | undefined
  return {
    id: t.id,
    rootTurnId: t.rootTurnId,
    get items() {
      items ??= AppendOnly.toArray(list)
      return items
    },
    itemsView: t.itemsView,
    status: t.status,
    error: t.error,
    startedAt: t.startedAt,
    completedAt: t.completedAt,
    durationMs: t.durationMs
  }
}

/** Items from which a pending turn keeps them in a list (`Pending.items`). */
export const LONG_TURN = 256

/** How many items the pending turn `c` holds, without copying them. */
export const itemCount = (c: Pending): number => c.written + (c.items === undefined ? c.turn.items.length : c.items.length)

/** A pending turn of `turn` (new, or changed whole by a `Turn` function: its items taken as they are). */
const pending = (turn: Turn, explicit: boolean, sawCompaction: boolean): Pending => ({ turn, items: undefined, explicit, sawCompaction, written: 0 })

/** Whether the pending turn `c` of `s` is short enough to copy its items per change. */
const short = (s: State, c: Pending): boolean => c.items === undefined && c.turn.items.length < (s.longTurn ?? LONG_TURN)

/** The pending turn's items as a list (copied out of `turn.items` once, as the turn becomes long). */
const listOf = (c: Pending): AppendOnly.AppendOnly<Item> => c.items ?? AppendOnly.fromArray(c.turn.items)

/** The pending turn `c` holding `turn` (its items taken as they are, those handed out aside). */
const withPendingTurn = (c: Pending, turn: Turn): Pending =>
  c.written === 0
    ? pending(turn, c.explicit, c.sawCompaction)
    : { turn, items: AppendOnly.fromArray(turn.items), explicit: c.explicit, sawCompaction: c.sawCompaction, written: c.written }

/** The pending turn `c` with its items `items` (the rest of the turn as it was). */
const withPendingItems = (c: Pending, items: AppendOnly.AppendOnly<Item>): Pending => ({
  turn: pendingTurn(c.turn, items),
  items,
  explicit: c.explicit,
  sawCompaction: c.sawCompaction,
  written: c.written
})

const finishCurrent = (s: State): State => {
  const c = s.current
  if (c === null) return s
  const keep = itemCount(c) > 0 || c.explicit || c.sawCompaction
  return withState(s, { current: null, turns: keep ? AppendOnly.append(s.turns, FrozenTurn.freeze(c.turn, c.written)) : s.turns })
}

/** A fresh id from the injected source (live builder), or `fallback` (replay). */
const mint = (s: State, fallback: string): [string, State] => (s.live === null ? [fallback, s] : [s.live(s.minted), withState(s, { minted: s.minted + 1 })])

const ensureCurrent = (s: State): State & { readonly current: Pending } => {
  if (s.current !== null) return s as State & { readonly current: Pending }
  const [id, u] = mint(s, `rollout-${s.rolloutIndex}`)
  return withState(u, { current: pending(newTurn(id, null, "completed", null), false, false) }) as State & {
    readonly current: Pending
  }
}

const nextId = (s: State): [string, State] => [`item-${s.nextItemIndex}`, withState(s, { nextItemIndex: s.nextItemIndex + 1 })]

const withItems = (t: Turn, items: ReadonlyArray<Item>): Turn => turnWith(t, items, t.status, t.error, t.completedAt, t.durationMs)

/** `item` in place of `old` (the same id). Codex 0.169 keeps a sub-agent activity's first occurrence time when a later event updates it. */
const replacing = (old: Item, item: Item): Item =>
  item.type === "subAgentActivity" && old.type === "subAgentActivity" && old.completedAtMs !== null ? { ...item, completedAtMs: old.completedAtMs } : item

const upsertIn = (turn: Turn, item: Item): Turn => {
  const i = turn.items.findIndex((x) => x.id === item.id)
  if (i < 0) return withItems(turn, [...turn.items, item])
  const items = turn.items.slice()
  items[i] = replacing(items[i] as Item, item)
  return withItems(turn, items)
}

const pushCurrent = (s: State, item: Item): State => {
  const t = ensureCurrent(s)
  const c = t.current
  return withState(t, {
    current: short(t, c) ? withPendingTurn(c, withItems(c.turn, [...c.turn.items, item])) : withPendingItems(c, AppendOnly.append(listOf(c), item))
  })
}

/** `upsertIn` on the pending turn `c` of `s`; a long one's list: appending costs O(1), replacing copies. */
const upsertPending = (s: State, c: Pending, item: Item): Pending => {
  if (short(s, c)) return withPendingTurn(c, upsertIn(c.turn, item))
  const list = listOf(c)
  const i = AppendOnly.findIndex(list, (x) => x.id === item.id)
  if (i < 0) return withPendingItems(c, AppendOnly.append(list, item))
  return withPendingItems(c, AppendOnly.set(list, i, replacing(AppendOnly.get(list, i) as Item, item)))
}

const upsertCurrent = (s: State, item: Item): State => {
  const t = ensureCurrent(s)
  return withState(t, { current: upsertPending(t, t.current, item) })
}

/** Applies `f` to the current turn if it has id `tid`, else to the first finished turn with it. */
const updateTurn = (s: State, tid: string, f: (t: Turn) => Turn): State | undefined => {
  if (s.current !== null && s.current.turn.id === tid) return withState(s, { current: withPendingTurn(s.current, f(s.current.turn)) })
  const i = AppendOnly.findIndex(s.turns, (t) => t.id === tid)
  if (i < 0) return undefined
  const old = AppendOnly.get(s.turns, i) as FrozenTurn.FrozenTurn
  return withState(s, { turns: AppendOnly.set(s.turns, i, FrozenTurn.freeze(f(FrozenTurn.thaw(old)), old.written)) })
}

const upsertByTurn = (s: State, tid: string, item: Item): State =>
  s.current !== null && s.current.turn.id === tid
    ? withState(s, { current: upsertPending(s, s.current, item) })
    : (updateTurn(s, tid, (t) => upsertIn(t, item)) ?? s)

const upsertByTurnOrCurrent = (s: State, tid: string | undefined, item: Item): State =>
  tid === undefined || tid === "" ? upsertCurrent(s, item) : upsertByTurn(s, tid, item)

const reviewUpsert = (s: State, tid: string | undefined, item: Item): State => {
  if (tid === undefined) return upsertCurrent(s, item)
  const known = (s.current !== null && s.current.turn.id === tid) || AppendOnly.findIndex(s.turns, (t) => t.id === tid) >= 0
  if (known) return upsertByTurn(s, tid, item)
  const opened = withState(finishCurrent(s), { current: pending(newTurn(tid, null, "completed", null), false, false) })
  return upsertByTurn(opened, tid, item)
}

const appendReasoning = (s: State, text: string, raw: boolean): State => {
  if (text === "") return s
  const t = ensureCurrent(s)
  const c = t.current
  const last = c.items === undefined ? c.turn.items.at(-1) : AppendOnly.get(c.items, c.items.length - 1)
  if (last !== undefined && last.type === "reasoning") {
    const merged: Item = raw ? { ...last, content: [...last.content, text] } : { ...last, summary: [...last.summary, text] }
    if (short(t, c)) return withState(t, { current: withPendingTurn(c, withItems(c.turn, [...c.turn.items.slice(0, -1), merged])) })
    const items = listOf(c)
    return withState(t, { current: withPendingItems(c, AppendOnly.set(items, items.length - 1, merged)) })
  }
  const [id, u] = nextId(t)
  return pushCurrent(u, Items.reasoning(id, text, raw))
}

interface Terminal {
  readonly completed_at?: number
  readonly duration_ms?: number
}

const complete =
  (error: ThreadItem.TurnError | null, e: Terminal) =>
  (t: Turn): Turn =>
    turnWith(
      t,
      t.items,
      error !== null ? "failed" : t.status === "completed" || t.status === "inProgress" ? "completed" : t.status,
      error ?? t.error,
      e.completed_at ?? null,
      e.duration_ms ?? null
    )

const abort =
  (e: Terminal) =>
  (t: Turn): Turn =>
    turnWith(t, t.items, "interrupted", t.error, e.completed_at ?? null, e.duration_ms ?? null)

const onCurrent = (s: State, f: (t: Turn) => Turn): State => (s.current === null ? s : withState(s, { current: withPendingTurn(s.current, f(s.current.turn)) }))

/** The events a rollout's replay reads (`EventRoles`: history `replay`). */
const replayed = (s: State, e: EventMsg.Of<EventRoles.Where<"history", "replay">>): State => {
  switch (e.type) {
    case "task_started":
    case "turn_started": {
      const f = finishCurrent(s)
      return withState(f, {
        current: pending(newTurn(e.turn_id, e.root_turn_id ?? null, "inProgress", e.started_at ?? null), true, false)
      })
    }
    case "task_complete":
    case "turn_complete": {
      const apply = complete(e.error === undefined ? null : Items.turnError(e.error), e)
      if (s.current !== null && s.current.turn.id === e.turn_id) return finishCurrent(onCurrent(s, apply))
      const old = updateTurn(withState(s, { current: null }), e.turn_id, apply)
      if (old !== undefined) return withState(old, { current: s.current })
      return s.current === null ? s : finishCurrent(onCurrent(s, apply))
    }
    case "turn_aborted": {
      const tid = e.turn_id ?? undefined
      const apply = abort(e)
      if (tid !== undefined) {
        const hit = updateTurn(s, tid, apply)
        if (hit !== undefined) return hit
      }
      return onCurrent(s, apply)
    }
    case "error": {
      if (!CodexErrorInfo.isTurnFailure(e.codex_error_info)) return s
      const error = Items.turnError(e)
      return onCurrent(s, (t) => turnWith(t, t.items, "failed", error, t.completedAt, t.durationMs))
    }
    case "thread_rolled_back": {
      const f = finishCurrent(s)
      const turns = AppendOnly.take(f.turns, f.turns.length - e.num_turns)
      return withState(f, { turns, nextItemIndex: AppendOnly.reduce(turns, f.releasedItems ?? 0, (sum, t) => sum + t.itemCount) + 1 })
    }
    case "user_message": {
      const c = s.current
      const joinable = c !== null && (c.explicit || (c.sawCompaction && itemCount(c) === 0))
      const base = c !== null && !joinable ? finishCurrent(s) : s
      const [id, u] = nextId(base)
      return pushCurrent(u, Items.userMessage(id, e))
    }
    case "agent_message": {
      if (e.message === "") return s
      const [id, u] = nextId(s)
      return pushCurrent(u, Items.agentMessage(id, e))
    }
    case "agent_reasoning":
      return appendReasoning(s, e.text, false)
    case "agent_reasoning_raw_content":
      return appendReasoning(s, e.text, true)
    case "context_compacted": {
      const [id, u] = nextId(s)
      return pushCurrent(u, Items.contextCompaction(id))
    }
    case "patch_apply_end":
      return upsertByTurnOrCurrent(s, e.turn_id ?? "", Items.fileChange(e))
    case "mcp_tool_call_end":
      return upsertCurrent(s, Items.mcpToolCall(e))
    case "web_search_end":
      return upsertCurrent(s, Items.webSearch(e))
    case "image_generation_end":
      return upsertCurrent(s, Items.imageGeneration(e))
    case "sub_agent_activity":
      return upsertCurrent(s, Items.subAgentActivity(e))
    case "entered_review_mode": {
      const [id, u] = e.item_id === undefined ? nextId(s) : [e.item_id, s]
      return reviewUpsert(u, e.turn_id, Items.enteredReview(id, e))
    }
    case "exited_review_mode": {
      const [id, u] = e.item_id === undefined ? nextId(s) : [e.item_id, s]
      return reviewUpsert(u, e.turn_id, Items.exitedReview(id, e))
    }
    case "item_started":
    case "item_completed": {
      const item = Items.fromTurnItem(e)
      return item === undefined ? s : upsertByTurn(s, e.turn_id, item)
    }
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

/** Live-only events (exec, collab, dynamic tools, ...): the replay's filter has dropped them. */
const placeLive = (s: State, live: LiveEvents.Placed | undefined): State => {
  if (live === undefined) return s
  const p = live.placement
  switch (p._tag) {
    case "Current":
      return upsertCurrent(s, live.item)
    case "ByTurn":
      return upsertByTurn(s, p.turnId, live.item)
    case "ByTurnOrCurrent":
      return upsertByTurnOrCurrent(s, p.turnId, live.item)
    default: {
      const unreachable: never = p
      return unreachable
    }
  }
}

const handleEvent = (s: State, line: Extract<RolloutLine.RolloutLine, { type: "event_msg" }>): State => {
  const e = line.payload
  if (EventRoles.history("replay", e)) return replayed(s, e)
  if (EventRoles.history("live", e)) return placeLive(s, LiveEvents.placed(e))
  return s
}

/**
 * The id of the item an event puts in place by id, replacing an earlier item of that id (what
 * `step` upserts): `null` for one that takes a fresh `item-N` id, undefined for an event that
 * upserts nothing. A streaming writer's first pass notes these to know which items are final.
 */
export const upsertedId = (e: EventMsg.EventMsg, live: boolean): string | null | undefined => {
  if (EventRoles.history("replay", e)) {
    switch (e.type) {
      case "patch_apply_end":
        return Items.fileChange(e).id
      case "mcp_tool_call_end":
        return Items.mcpToolCall(e).id
      case "web_search_end":
        return Items.webSearch(e).id
      case "image_generation_end":
        return Items.imageGeneration(e).id
      case "sub_agent_activity":
        return Items.subAgentActivity(e).id
      case "entered_review_mode":
      case "exited_review_mode":
        return e.item_id ?? null
      case "item_started":
      case "item_completed":
        return Items.fromTurnItem(e)?.id
      default:
        return undefined
    }
  }
  return live && EventRoles.history("live", e) ? LiveEvents.placed(e)?.item.id : undefined
}

type RawIds = (payload: Readonly<Record<string, unknown>>) => ReadonlyArray<string | null>

const byCallId: RawIds = (p) => [String(p["call_id"])]
const byItemId: RawIds = (p) => (typeof p["item_id"] === "string" ? [p["item_id"]] : [null])
const byTurnItem: RawIds = (p) => {
  const item = p["item"]
  // `fromTurnItem` takes the item's own id (spelled `String(id)` for extensions).
  return typeof item === "object" && item !== null ? [String((item as Record<string, unknown>)["id"])] : []
}

/** Per event type `upsertedId` may answer an id for in the replay, the ids read from its raw payload. */
const RAW_IDS: Readonly<Record<string, RawIds>> = {
  patch_apply_end: byCallId,
  mcp_tool_call_end: byCallId,
  web_search_end: byCallId,
  image_generation_end: byCallId,
  sub_agent_activity: (p) => [String(p["event_id"])],
  entered_review_mode: byItemId,
  exited_review_mode: byItemId,
  item_started: byTurnItem,
  item_completed: byTurnItem
}

/**
 * The ids a replayed event may put in place, read from its raw payload without decoding it (a
 * first pass's cheap reading of `upsertedId`): every id `upsertedId` answers for the decoded event
 * is among them (`null` for a fresh `item-N`), and one that does not decode adds only an id.
 */
export const rawUpsertedIds = (payload: Readonly<Record<string, unknown>>): ReadonlyArray<string | null> => {
  const type = payload["type"]
  return typeof type === "string" && Object.hasOwn(RAW_IDS, type) ? (RAW_IDS[type] as RawIds)(payload) : []
}

/** Events `upsertedId` may answer an id for in the replay (the live builder's: every event): the ones `rawUpsertedIds` reads. */
export const UPSERTS: ReadonlySet<string> = new Set(Object.keys(RAW_IDS))

/**
 * Folds one rollout line. In the replay, lines the legacy persistence filter drops change nothing
 * and kept lines take the next rollout index; the live builder takes every line and counts none.
 */
export const step = (state: State, line: RolloutLine.RolloutLine): State => {
  if (state.live === null && !PersistenceFilter.isPersisted(line)) return state
  const s: State = state.live === null ? withState(state, { rolloutIndex: state.nextRolloutIndex, nextRolloutIndex: state.nextRolloutIndex + 1 }) : state
  switch (line.type) {
    case "event_msg":
      return handleEvent(s, line)
    case "compacted": {
      const t = ensureCurrent(s)
      const c = t.current
      return withState(t, { current: { turn: c.turn, items: c.items, explicit: c.explicit, sawCompaction: true, written: c.written } })
    }
    case "response_item": {
      const item = line.payload
      if (item.type !== "message" || item.role !== "user") return s
      const fragments = HookPrompt.parse(item.content)
      if (fragments === undefined) return s
      // Codex mints a UUIDv7 for an id-less hook prompt; the replay derives one from the line instead.
      const [id, u] = item.id === undefined ? mint(s, `hook-prompt-${s.rolloutIndex}`) : [item.id, s]
      return pushCurrent(u, {
        type: "hookPrompt",
        id,
        fragments: fragments.map((f) => ({ text: f.text, hookRunId: f.hookRunId })),
        startedAtMs: null,
        completedAtMs: null
      })
    }
    case "session_meta":
    case "turn_context":
    case "world_state":
    case "inter_agent_communication":
    case "inter_agent_communication_metadata":
    case "token_usage_record":
    case "retained_context":
    case "security_risk_score":
    case "realtime_item":
      return s
    default: {
      const unreachable: never = line
      return unreachable
    }
  }
}

export const fold = Reducer.foldWith(step, empty)

/**
 * A kept line the builder does nothing with, seen without decoding it (`ThreadRead.triage`): it
 * only takes its rollout index. The live builder counts nothing.
 */
export const count = (s: State, n = 1): State => (s.live === null ? withState(s, { nextRolloutIndex: s.nextRolloutIndex + n }) : s)

/**
 * Hands out the first items of a long pending turn while `final(item, index)` (index among the
 * turn's items) says no later line changes them, as their JSON texts, the first preceded by the
 * turn's head (`{"id":…,"items":[`); never its last item (the next reasoning may merge into it), at
 * most `limit` of them all. They leave the state: the turn's finished text (`normalJson`) is then
 * what is left to write of it. The caller's judgement keeps the fold exact: a handed-out item is
 * no longer found by id, and the turn must outlive every later rollback. For a streaming writer
 * only: `finish` and `thaw` no longer see those items.
 */
export const releaseItems = (
  s: State,
  limit: number,
  final: (item: Item, index: number) => boolean
): { readonly state: State; readonly json: ReadonlyArray<string> } => {
  const c = s.current
  if (c === null || c.items === undefined) return { state: s, json: [] }
  const list = c.items
  const end = Math.min(limit, c.written + list.length - 1) - c.written
  let n = 0
  while (n < end && final(AppendOnly.get(list, n) as Item, c.written + n)) n++
  if (n === 0) return { state: s, json: [] }
  const json: Array<string> = c.written === 0 ? [FrozenTurn.headJson(withItems(c.turn, []))] : []
  for (let i = 0; i < n; i++) json.push((i > 0 || c.written > 0 ? "," : "") + JSON.stringify(AppendOnly.get(list, i)))
  const rest = AppendOnly.fromArray(list.items.slice(n, list.length))
  const next: Pending = { turn: pendingTurn(c.turn, rest), items: rest, explicit: c.explicit, sawCompaction: c.sawCompaction, written: c.written + n }
  return { state: withState(s, { current: next }), json }
}

/** The builder's turns: the current turn finished as Codex's `finish()` does. */
export const finish = (state: State): ReadonlyArray<Turn> => AppendOnly.toArray(finishCurrent(state).turns).map(FrozenTurn.thaw)

/**
 * A finished turn's text as a cold `thread/read` prints it (`normalize`: only an `inProgress` turn
 * is parsed back); of a turn whose first items were handed out (`releaseItems`), what is left to write.
 */
export const normalJson = (f: FrozenTurn.FrozenTurn): string => {
  const json = f.status === "inProgress" ? JSON.stringify({ ...FrozenTurn.thaw(f), status: "interrupted" }) : f.json
  return f.written === 0 ? json : FrozenTurn.tailJson(json)
}

/**
 * `normalize(finish(state))` as JSON texts, one per turn, without building the turns: what a
 * cold `thread/read` prints. Turns already released (`ThreadRead.release`) are not among them.
 */
export const finishedJson = (state: State): ReadonlyArray<string> => AppendOnly.toArray(finishCurrent(state).turns).map(normalJson)

/**
 * The app-server's status normalisation (§4.1): unless the thread has a live in-progress turn,
 * every `inProgress` turn is reported `interrupted`.
 */
export const normalize = (turns: ReadonlyArray<Turn>, live = false): ReadonlyArray<Turn> =>
  live ? turns : turns.map((t) => (t.status === "inProgress" ? { ...t, status: "interrupted" as const } : t))

/** `thread/read {includeTurns: true}` turns of a not-loaded legacy thread. */
export const turns = (lines: Iterable<RolloutLine.RolloutLine>): ReadonlyArray<Turn> => normalize(finish(fold(lines)))

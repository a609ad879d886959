/**
 * The thread methods this server answers, each `(params) => result` over one Codex home: listing
 * from the index, reading and paging turns through the read side (`HistoryRead`, `TurnsPage`),
 * and the three changes Codex's clients make without a model (archive, unarchive, rename).
 * Notifications a change emits go through `notify`, before or after the answer as Codex sends them.
 */
import { Effect, Layer } from "effect"
import * as Files from "@rollout/log/Files"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as HistoryRead from "@rollout/query/HistoryRead"
import * as TurnsPage from "@rollout/reduce/TurnsPage"
import * as Archive from "@rollout/store/Archive"
import * as RpcError from "../RpcError.js"
import type * as ThreadSource from "../ThreadSource.js"
import * as Ids from "./Ids.js"
import * as SessionSource from "./SessionSource.js"
import * as ThreadJson from "./ThreadJson.js"
import type * as ThreadListQuery from "./ThreadListQuery.js"

export type Params = Record<string, unknown>
export type Json = Record<string, unknown>

export interface Context {
  readonly source: ThreadSource.ThreadSource
  readonly report: (text: string) => void
  /** Sends a notification now; `after` holds ones Codex sends once the answer is out. */
  readonly notify: (method: string, params: Json) => void
  readonly after: (method: string, params: Json) => void
}

const summary = async (ctx: Context, id: string): Promise<ThreadSource.Thread | undefined> => {
  await ctx.source.refresh()
  return ctx.source.find(id)
}

const known = async (ctx: Context, id: string): Promise<ThreadSource.Thread> => {
  const found = await summary(ctx, id)
  if (found === undefined) throw RpcError.threadNotLoaded(id)
  return found
}

const history = async (ctx: Context, t: ThreadSource.Thread) => {
  const reader = await ctx.source.reader(t)
  return Effect.runPromise(
    HistoryRead.read(t.path, reader.home).pipe(
      Effect.provide(Layer.mergeAll(Layer.succeed(Files.Files, reader.files), Diagnostics.layer(ctx.report))),
      Effect.mapError((e) => new RpcError.RpcError({ code: RpcError.INTERNAL_ERROR, message: e.message }))
    )
  ).catch((e: unknown) => {
    throw e instanceof RpcError.RpcError ? e : new RpcError.RpcError({ code: RpcError.INTERNAL_ERROR, message: String(e) })
  })
}

/** Codex's `Thread` of a row, with its first line's `session_meta`. */
const json = async (ctx: Context, t: ThreadSource.Thread, flavor: ThreadJson.Flavor): Promise<Json> => ThreadJson.make(t, flavor, await ctx.source.meta(t))

const page = async (ctx: Context, params: Params): Promise<ThreadListQuery.Page<ThreadSource.Thread>> => {
  const limit = Ids.u32(params, "limit")
  return ctx.source.list({ ...(params as ThreadListQuery.Params), limit: limit ?? null })
}

export const list = async (ctx: Context, params: Params): Promise<Json> => {
  const found = await page(ctx, params)
  return {
    data: await Promise.all(found.data.map((t) => json(ctx, t, "list"))),
    // Codex keeps no read state for a sub-agent's thread, so its listing leaves them out.
    readStates: Object.fromEntries(found.data.filter((t) => !t.source.startsWith("subagent")).map((t) => [t.id, ThreadJson.readState(t.id)])),
    nextCursor: found.nextCursor,
    backwardsCursor: found.backwardsCursor
  }
}

/** Codex's `thread/search` is a listing filtered by title, each thread with the text that matched. */
export const search = async (ctx: Context, params: Params): Promise<Json> => {
  if (typeof params["searchTerm"] !== "string") throw RpcError.missingField("searchTerm")
  const found = await page(ctx, params)
  return {
    data: await Promise.all(found.data.map(async (t) => ({ thread: await json(ctx, t, "list"), snippet: t.preview }))),
    nextCursor: found.nextCursor,
    backwardsCursor: found.backwardsCursor
  }
}

const HYDRATION_DEPRECATED =
  "Full-history hydration is deprecated for paginated threads; omit `includeTurns` or set it to `false`, then page with `thread/turns/list` and `thread/items/list`."

export const read = async (ctx: Context, params: Params): Promise<Json> => {
  const id = Ids.threadId(params)
  const t = await known(ctx, id)
  if (params["includeTurns"] !== true) return { thread: await json(ctx, t, "read"), readState: ThreadJson.readState(id) }
  if (t.historyMode === "paginated") ctx.notify("deprecationNotice", { summary: HYDRATION_DEPRECATED, details: null })
  const { thread } = await history(ctx, t)
  // Codex's index sets a thread it did not run to recent as of its last update.
  return { thread: { ...thread, recencyAt: t.updatedAt, source: SessionSource.toV2(thread.source) }, readState: ThreadJson.readState(id) }
}

export const turns = async (ctx: Context, params: Params): Promise<Json> => {
  const id = Ids.threadId(params)
  const t = await known(ctx, id)
  const { thread, anchors } = await history(ctx, t)
  const limit = Ids.u32(params, "limit")
  const cursor = typeof params["cursor"] === "string" ? params["cursor"] : null
  const sortDirection = params["sortDirection"] === "asc" ? "asc" : TurnsPage.defaultSortDirection
  const view = params["itemsView"]
  const itemsView = view === "notLoaded" || view === "full" || view === "summary" ? view : TurnsPage.defaultItemsView
  const result = TurnsPage.page(thread.turns, { limit, cursor, sortDirection, itemsView }, anchors, thread.id)
  if (result._tag === "InvalidCursor") throw RpcError.invalidRequest(result.message)
  return { ...result.page }
}

/**
 * Codex 0.171 checks `thread/items/read`'s parameters, then answers that it is not built yet; so
 * does this server, so a client sees the same thing from both.
 */
export const readItems = async (_ctx: Context, params: Params): Promise<Json> => {
  if (typeof params["turnId"] !== "string") throw RpcError.missingField("turnId")
  const wanted = params["itemIds"]
  if (!Array.isArray(wanted)) throw RpcError.missingField("itemIds")
  if (wanted.length < 1 || wanted.length > 100) throw RpcError.invalidRequest("itemIds must contain 1 to 100 IDs")
  Ids.threadId(params)
  throw RpcError.notSupportedYet("thread/items/read")
}

const writes = (ctx: Context, method: string): ThreadSource.Writes => {
  if (ctx.source.writes === undefined) throw RpcError.readOnly(method)
  return ctx.source.writes
}

export const archive = async (ctx: Context, params: Params): Promise<Json> => {
  const id = Ids.threadId(params)
  const w = writes(ctx, "thread/archive")
  if ((await summary(ctx, id))?.archived !== false) throw RpcError.noRollout(id)
  await move(id, () => w.archive(id), true)
  ctx.notify("thread/archived", { threadId: id })
  return {}
}

export const unarchive = async (ctx: Context, params: Params): Promise<Json> => {
  const id = Ids.threadId(params)
  const w = writes(ctx, "thread/unarchive")
  if ((await summary(ctx, id))?.archived !== true) throw RpcError.noArchivedRollout(id)
  await move(id, () => w.unarchive(id), false)
  const t = await known(ctx, id)
  ctx.after("thread/unarchived", { threadId: id })
  return { thread: await json(ctx, t, "read") }
}

const move = async (id: string, work: () => Promise<void>, toArchive: boolean): Promise<void> => {
  try {
    await work()
  } catch (e) {
    if (e instanceof Archive.ThreadNotFound || e instanceof Archive.CannotMove) throw toArchive ? RpcError.noRollout(id) : RpcError.noArchivedRollout(id)
    throw e
  }
}

/** Codex renames by appending to `session_index.jsonl` (the newest line for an id wins). */
export const setName = async (ctx: Context, params: Params): Promise<Json> => {
  const id = Ids.threadId(params)
  const name = params["name"]
  if (typeof name !== "string") throw RpcError.missingField("name")
  const w = writes(ctx, "thread/name/set")
  if ((await summary(ctx, id)) === undefined) throw RpcError.noRollout(id)
  w.setName(id, name)
  ctx.notify("thread/name/updated", { threadId: id, threadName: name })
  return {}
}

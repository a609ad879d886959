/**
 * The web app's listing and search, straight from the index (`Store.list`, `Store.search`, the
 * same as `rollout ls` and `rollout search`): rows newest first with the index's cursors and its
 * filters (folder, model, source, a range of local days, archived), the values those filters
 * offer, and search hits with their matched words as runs of text the page never parses as HTML.
 */
import * as ThreadList from "@rollout/store/ThreadList"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import type * as Api from "@rollout/web/Api"
import type * as ThreadSource from "../ThreadSource.js"
import * as WebError from "./WebError.js"

export type Query = Readonly<Record<string, string | undefined>>

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** A local day's first (or last) millisecond; a malformed day is a bad request. */
const dayMs = (day: string | undefined, end: boolean): number | undefined => {
  if (day === undefined || day === "") return undefined
  if (!DAY.test(day)) throw new WebError.BadRequest(`not a day (YYYY-MM-DD): ${day}`)
  const ms = new Date(`${day}T00:00:00`).getTime()
  if (Number.isNaN(ms)) throw new WebError.BadRequest(`not a day (YYYY-MM-DD): ${day}`)
  return end ? ms + 86_400_000 - 1 : ms
}

const text = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v)

const title = (t: ThreadList.ThreadSummary): string => t.name ?? (t.preview.split("\n").find((l) => l.trim() !== "") ?? "").slice(0, 200)

export const row = (t: ThreadSource.Thread): Api.ThreadRow => ({
  id: t.id,
  title: title(t),
  cwd: t.cwd,
  source: t.source,
  model: t.model,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  archived: t.archived,
  forkedFromId: t.forkedFromId,
  parentThreadId: t.parentThreadId,
  agentNickname: t.agentNickname,
  ...(t.machine === undefined ? {} : { machine: t.machine })
})

/** The listing query a page's parameters ask for. */
export const listQuery = (q: Query): ThreadList.Query & { readonly machine?: string } => {
  const since = dayMs(q["since"], false)
  const until = dayMs(q["until"], true)
  const limit = Number(q["limit"] ?? ThreadList.DEFAULT_LIMIT)
  return {
    limit: Number.isFinite(limit) ? limit : ThreadList.DEFAULT_LIMIT,
    ...(text(q["cursor"]) === undefined ? {} : { cursor: q["cursor"] as string }),
    ...(text(q["cwd"]) === undefined ? {} : { cwd: q["cwd"] as string }),
    ...(text(q["model"]) === undefined ? {} : { model: q["model"] as string }),
    ...(text(q["source"]) === undefined ? {} : { source: q["source"] as string }),
    ...(text(q["machine"]) === undefined ? {} : { machine: q["machine"] as string }),
    ...(since === undefined ? {} : { sinceMs: since }),
    ...(until === undefined ? {} : { untilMs: until }),
    archived: q["archived"] === "1" || q["archived"] === "true"
  }
}

export const list = async (source: ThreadSource.ThreadSource, q: Query): Promise<Api.ThreadsPage> => {
  const query = listQuery(q)
  try {
    const page = await source.threads(query)
    return { data: page.data.map(row), nextCursor: page.nextCursor }
  } catch (e) {
    if (e instanceof ThreadList.InvalidCursor) throw new WebError.BadRequest(e.message)
    throw e
  }
}

const hit = (h: ThreadSource.Hit): Api.SearchHit => ({
  threadId: h.threadId,
  threadTitle: h.threadTitle,
  cwd: h.cwd,
  // The index counts a rollout's turns from 0; the views from 1.
  turn: h.turn.index === null ? null : h.turn.index + 1,
  kind: h.kind,
  line: h.line,
  snippet: [...h.parts],
  ...(h.machine === undefined ? {} : { machine: h.machine })
})

export const search = async (source: ThreadSource.ThreadSource, q: Query): Promise<Api.SearchAnswer> => {
  const words = q["q"] ?? ""
  if (!/[\p{L}\p{N}_]/u.test(words)) return { hits: [], total: 0 }
  const limit = Math.min(500, Math.max(1, Number(q["limit"] ?? 50) || 50))
  const query: ThreadSearch.Query = { text: words, limit, archived: q["archived"] === "1" }
  const { hits, total } = await source.search(query)
  return { hits: hits.map(hit), total }
}

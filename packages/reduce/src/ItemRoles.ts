/**
 * What every reader does with every `response_item` tag: one row per tag of `ResponseItem`, one
 * column per reader (see `EventRoles` for the idea). A new item tag in the schema makes this table
 * fail to compile until its row decides; the stats switch and the fast paths derive from the rows.
 *
 * Columns: `persisted` — Codex's legacy persistence policy keeps it (it takes a rollout index in
 * thread history's replay); `stats` — statistics read it (tool calls and their outputs);
 * `search` — the search index takes text from it; `work` — the human views' work log reads it.
 * Data only.
 */
import type * as ResponseItem from "@rollout/protocol/ResponseItem"

export type Tag = ResponseItem.ResponseItem["type"]

export interface Row {
  readonly persisted: boolean
  readonly stats: boolean
  readonly search: boolean
  /** The human views' work log (`WorkLog`): tool calls and their outputs. */
  readonly work: boolean
}

// biome-ignore format: one row per tag reads as a table
export const table = {
  additional_tools: { persisted: false, stats: false, search: false , work: false },
  message: { persisted: true, stats: false, search: false , work: false },
  agent_message: { persisted: true, stats: false, search: false , work: false },
  reasoning: { persisted: true, stats: false, search: false , work: false },
  local_shell_call: { persisted: true, stats: true, search: true , work: true },
  function_call: { persisted: true, stats: true, search: true , work: true },
  tool_search_call: { persisted: true, stats: true, search: false , work: true },
  function_call_output: { persisted: true, stats: true, search: true , work: true },
  custom_tool_call: { persisted: true, stats: true, search: true , work: true },
  custom_tool_call_output: { persisted: true, stats: true, search: true , work: true },
  tool_search_output: { persisted: true, stats: false, search: false , work: true },
  web_search_call: { persisted: true, stats: true, search: false , work: true },
  image_generation_call: { persisted: true, stats: true, search: false , work: true },
  compaction: { persisted: true, stats: false, search: false , work: false },
  compaction_summary: { persisted: false, stats: false, search: false , work: false },
  configuration_update: { persisted: false, stats: false, search: false , work: false },
  compaction_trigger: { persisted: false, stats: false, search: false , work: false },
  context_compaction: { persisted: true, stats: false, search: false , work: false },
  ghost_snapshot: { persisted: false, stats: false, search: false , work: false },
} as const satisfies { readonly [K in Tag]: Row }

type Table = typeof table

/** The tags whose `column` is true. */
export type Where<C extends keyof Row> = { [K in Tag]: Table[K][C] extends true ? K : never }[Tag]

/** The items a reader reads. */
export type Read<C extends keyof Row> = Extract<ResponseItem.ResponseItem, { readonly type: Where<C> }>

/** Whether `reader` reads the item (narrows it to the tags that reader's switch must handle). */
export const reads = <C extends keyof Row>(reader: C, item: ResponseItem.ResponseItem): item is Read<C> =>
  (readSets[reader] as ReadonlySet<string>).has(item.type)

/** The tags whose `column` is true, as a set for raw lookups. */
export const where = <C extends keyof Row>(column: C): ReadonlySet<Where<C>> =>
  new Set((Object.keys(table) as Array<Tag>).filter((t) => table[t][column]) as Array<Where<C>>)

// A set per reader: one hash lookup per item on the hot path.
const readSets: { readonly [C in keyof Row]: ReadonlySet<Where<C>> } = {
  persisted: where("persisted"),
  stats: where("stats"),
  search: where("search"),
  work: where("work")
}

/**
 * `rollout turns THREAD`: one page of the thread's turns exactly as Codex app-server v2
 * `thread/turns/list` returns it for a not-loaded thread — the turns `history` rebuilds, with the
 * items view applied and cursor pagination (defaults: 25 turns, newest first, summary items). With
 * `--json`: `{"data": Turn[], "nextCursor", "backwardsCursor"}`; without, one line per turn.
 */
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as TurnsRead from "@rollout/query/TurnsRead"
import * as TurnsPage from "@rollout/reduce/TurnsPage"
import * as Terminal from "@rollout/view/Terminal"
import { UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Output, withDiagnostics } from "./Output.js"

const flags = {
  thread: Flags.thread,
  limit: Flag.Int("limit").pipe(
    Flag.withMetavar("N"),
    Flag.withDescription(
      `Turns per page (default ${TurnsPage.defaultLimit}); like Codex, 0 means 1 and more than ${TurnsPage.maxLimit} means ${TurnsPage.maxLimit}.`
    ),
    Flag.optional
  ),
  cursor: Flag.String("cursor").pipe(
    Flag.withMetavar("C"),
    Flag.withDescription(
      "Continue from a cursor a previous page returned: its nextCursor (same direction) or backwardsCursor (with the opposite --sort-direction)."
    ),
    Flag.optional
  ),
  sortDirection: Flag.Literals("sort-direction", ["asc", "desc"]).pipe(
    Flag.withDescription("Oldest turn first (asc) or newest first (desc, the default)."),
    Flag.withDefault(TurnsPage.defaultSortDirection)
  ),
  itemsView: Flag.Literals("items-view", ["notLoaded", "summary", "full"]).pipe(
    Flag.withDescription("Items per turn: none (notLoaded), the first user and last agent message (summary, the default), or every item (full)."),
    Flag.withDefault(TurnsPage.defaultItemsView)
  ),
  json: Flags.json,
  codexHome: Flags.codexHome
}

export const command = Command.make("turns", flags, (args) =>
  withDiagnostics(
    Effect.gen(function* () {
      const output = yield* Output
      const limit = Option.getOrUndefined(args.limit)
      // Codex's limit is unsigned: a negative one is rejected before anything is read.
      if (limit !== undefined && limit < 0) return yield* new UsageError({ message: `--limit must be 0 or more, got ${limit}` })
      const params = { limit, cursor: Option.getOrNull(args.cursor), sortDirection: args.sortDirection, itemsView: args.itemsView }
      // A large thread streams by and only the turns this page can need are kept.
      const result = yield* TurnsRead.page(args.thread, args.codexHome, params)
      if (result._tag === "InvalidCursor") return yield* new UsageError({ message: result.message })
      output.stdout(args.json ? `${JSON.stringify(result.page)}\n` : table(result.page))
    })
  )
).pipe(
  Command.withShortDescription("One page of a thread's turns, as Codex thread/turns/list"),
  Command.withDescription(
    'One page of the thread\'s turns exactly as Codex app-server v2 thread/turns/list returns them. With --json: {"data": Turn[], "nextCursor": string|null, "backwardsCursor": string|null}.'
  ),
  Command.withExamples([
    { command: "rollout turns 0198f2a4-5b6c-7d8e-9f00-112233445566 --json", description: "the 25 newest turns, summary items" },
    { command: "rollout turns session.jsonl --sort-direction asc --items-view full --limit 5 --json", description: "the first five turns with every item" }
  ])
)

const firstText = (turn: ThreadItem.Turn): string => {
  for (const item of turn.items) {
    if (item.type === "userMessage") {
      const text = item.content.find((c) => c.type === "text")
      if (text !== undefined && "text" in text) return text.text.replace(/\s+/g, " ").slice(0, 80)
    }
  }
  return ""
}

const table = (page: TurnsPage.Page): string => {
  const lines = page.data.map((t) => `${t.id}  ${t.status.padEnd(11)}  ${String(t.items.length).padStart(3)} items  ${firstText(t)}`)
  lines.push(`${page.data.length} turn${page.data.length === 1 ? "" : "s"}`)
  if (page.nextCursor !== null) lines.push(`next: --cursor '${page.nextCursor}'`)
  if (page.backwardsCursor !== null) lines.push(`backwards: --cursor '${page.backwardsCursor}'`)
  // Turn ids, messages and cursors come from the rollout: escaped, one line each.
  return `${lines.map(Terminal.field).join("\n")}\n`
}

/**
 * `rollout history THREAD`: the thread's turns and items exactly as Codex app-server v2
 * `thread/read` (with `includeTurns`) returns them — legacy rollouts replayed from the file
 * (persistence filter first), paginated ones from their `item_completed` records (a fork's
 * earlier turns come from the parent named by `session_meta.history_base`). Without `--json`, a
 * readable transcript.
 */
import * as nodePath from "node:path"
import { Effect } from "effect"
import { Command } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import { InvalidInput } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"
import * as Thread from "./Thread.js"

const sessionMeta = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => {
  const first = lines.find((l) => l.type === "session_meta")
  return first?.type === "session_meta" ? first.payload : undefined
}

/** A paginated fork's parent lines up to `history_base.end_ordinal_exclusive`, recursively. */
const baseLines = (lines: ReadonlyArray<RolloutLine.RolloutLine>, home: string, depth = 0): Effect.Effect<Array<RolloutLine.RolloutLine>, never, Files.Files | Output> =>
  Effect.gen(function* () {
    const base = sessionMeta(lines)?.history_base
    if (base === undefined || depth > 16) return []
    const parent = yield* Thread.lines(base.thread_id, home).pipe(Effect.catch(() => Effect.succeed([] as Array<RolloutLine.RolloutLine>)))
    const cut = parent.filter((l) => l.ordinal === undefined || l.ordinal < base.end_ordinal_exclusive)
    return [...(yield* baseLines(cut, home, depth + 1)), ...cut]
  })

export const command = Command.make("history", { thread: Thread.argument, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const output = yield* Output
    const files = yield* Files.Files
    const paths = yield* Thread.resolve(args.thread, args.codexHome)
    const lines = yield* Thread.lines(args.thread, args.codexHome)
    const meta = sessionMeta(lines)
    if (meta === undefined) return yield* new InvalidInput({ message: `${args.thread}: no session_meta line, so no thread to rebuild` })
    const paginated = meta.history_mode === "paginated"
    const base = paginated ? yield* baseLines(lines, args.codexHome) : []
    const turns = paginated ? PaginatedHistory.turns(PaginatedHistory.fold([...base, ...lines])) : ThreadHistory.turns(lines)
    const path = paths[paths.length - 1] ?? args.thread
    const stat = yield* Effect.promise(() => files.stat(path))
    const home = args.codexHome
    const name = yield* Effect.promise(() => CodexHome.threadName(files, home, meta.id))
    const start = base.length > 0 ? ThreadMetadata.inherit(ThreadMetadata.fold(base)) : ThreadMetadata.empty
    const thread = ThreadMetadata.thread(ThreadMetadata.fold(lines, start), { path: nodePath.resolve(path), mtimeMs: stat.mtimeMs, ...(name === undefined ? {} : { name }) })
    if (thread === undefined) return yield* new InvalidInput({ message: `${args.thread}: no session_meta line, so no thread to rebuild` })
    const full = { ...thread, turns }
    output.stdout(args.json ? `${JSON.stringify({ thread: full })}\n` : transcript(full))
  })
).pipe(
  Command.withDescription(
    "The thread's turns and items exactly as Codex app-server v2 thread/read returns them. With --json: {\"thread\": Thread}; without, a readable transcript."
  ),
  Command.withExamples([{ command: "rollout history 0198f2a4-5b6c-7d8e-9f00-112233445566", description: "read a thread as a transcript" }])
)

const clip = (s: string, max = 400) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

const itemLine = (item: ThreadItem.ThreadItem): string => {
  const i = item as { type: string; text?: string; content?: ReadonlyArray<{ type: string; text?: string }>; command?: string; exitCode?: number | null; summary?: ReadonlyArray<string>; status?: string }
  switch (i.type) {
    case "userMessage":
      return `> ${clip((i.content ?? []).map((c) => c.text ?? `[${c.type}]`).join(" "))}`
    case "agentMessage":
      return clip(i.text ?? "")
    case "reasoning":
      return `  (thinking) ${clip((i.summary ?? []).join(" "), 200)}`
    case "commandExecution":
      return `  $ ${clip(i.command ?? "", 200)}${i.exitCode === undefined || i.exitCode === null ? "" : `  [exit ${i.exitCode}]`}`
    default:
      return `  [${i.type}${i.status === undefined ? "" : ` ${i.status}`}]`
  }
}

const transcript = (thread: ThreadItem.Thread): string => {
  const out: Array<string> = [`thread ${thread.id}${thread.name ? `  "${thread.name}"` : ""}`, ""]
  thread.turns.forEach((turn, n) => {
    const error = turn.error === null || turn.error === undefined ? "" : `: ${turn.error.message}`
    out.push(`── turn ${n + 1} (${turn.status}${error}) ──`)
    for (const item of turn.items) out.push(itemLine(item))
    out.push("")
  })
  out.push(`${thread.turns.length} turn${thread.turns.length === 1 ? "" : "s"}`)
  return out.join("\n") + "\n"
}

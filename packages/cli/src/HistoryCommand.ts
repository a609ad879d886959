/**
 * `rollout history THREAD`: the thread's turns and items exactly as Codex app-server v2
 * `thread/read` (with `includeTurns`) returns them — legacy rollouts replayed from the file
 * (persistence filter first), paginated ones from their `item_completed` records (a fork's
 * earlier turns come from the parent named by `session_meta.history_base`). Without `--json`, a
 * readable transcript. `read` is the one loader `turns` and `export` share: it streams the rollout
 * batch by batch through one fold, so memory follows the answer, not the file.
 */
import * as nodePath from "node:path"
import { Clock, Effect, Random } from "effect"
import { Command, Flag } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HotLines from "@rollout/reduce/HotLines"
import type * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import type * as TurnsPage from "@rollout/reduce/TurnsPage"
import * as Uuid7 from "@rollout/reduce/Uuid7"
import { InvalidInput, type UnreadableInput } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"
import * as Thread from "./Thread.js"

export interface ReadOptions {
  /** Feed every line to the live builder (no persistence filter); implicit turn ids from `freshId`. */
  readonly allEvents?: { readonly freshId: (n: number) => string } | undefined
}

/** Only lines a reducer reads are decoded; the others are counted or skipped from their raw JSON. */
const streaming = { triage: ThreadRead.triage, count: ThreadRead.count, view: HotLines.view }

const noMeta = (arg: string) => new InvalidInput({ message: `${arg}: no session_meta line, so no thread to rebuild` })

/** The first session_meta of a thread's files (read stops at the first batch holding one). */
const peekMeta = (paths: ReadonlyArray<string>) =>
  Thread.foldPaths(paths, ThreadRead.empty, ThreadRead.step, { stop: (s) => ThreadRead.meta(s) !== null, quiet: true }).pipe(Effect.map(ThreadRead.meta))

/**
 * The state a paginated fork starts from: its parent's history cut at `history_base`, whose own
 * base comes first (recursively; a missing parent contributes nothing, as in Codex).
 */
export const baseState = (meta: ThreadRead.State["metadata"]["meta"], home: string, depth = 0): Effect.Effect<ThreadRead.State | undefined, never, Files.Files | Output> =>
  Effect.gen(function* () {
    const base = meta?.history_base
    if (base === undefined || depth > 16) return undefined
    const paths = yield* Thread.resolve(base.thread_id, home)
    const grand = yield* baseState(yield* peekMeta(paths), home, depth + 1)
    const start = { ...(grand === undefined ? ThreadRead.empty : ThreadRead.inherit(grand)), endOrdinal: base.end_ordinal_exclusive }
    return yield* Thread.foldPaths(paths, start, ThreadRead.step, { ...streaming, quiet: true })
  }).pipe(Effect.catch(() => Effect.succeed(undefined)))

export interface Read {
  readonly thread: ThreadItem.Thread
  /** How `thread/turns/list` anchors these turns (by id, or by ordinal for paginated threads). */
  readonly anchors: TurnsPage.Anchors
}

/** The folded state of a thread and what the file system adds to it. */
export interface Loaded {
  readonly state: ThreadRead.State
  readonly file: ThreadMetadata.FileInfo
}

/** The thread `thread/read {includeTurns: true}` answers, streamed from its rollout files. */
export const read = (arg: string, home: string, options: ReadOptions = {}): Effect.Effect<Read, InvalidInput | UnreadableInput, Files.Files | Output> =>
  Effect.gen(function* () {
    const { state, file } = yield* load(arg, home, options)
    const thread = ThreadRead.thread(state, file)
    if (thread === undefined) return yield* noMeta(arg)
    return { thread, anchors: ThreadRead.anchors(state) }
  })

/** Streams the thread's files through one fold (a paginated fork's parent first). */
export const load = (arg: string, home: string, options: ReadOptions = {}): Effect.Effect<Loaded, InvalidInput | UnreadableInput, Files.Files | Output> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const paths = yield* Thread.resolve(arg, home)
    let start: ThreadRead.State
    let meta: ThreadRead.State["metadata"]["meta"]
    if (options.allEvents !== undefined) {
      start = ThreadRead.live(options.allEvents.freshId)
      meta = null
    } else {
      meta = yield* peekMeta(paths)
      if (meta === null) return yield* noMeta(arg)
      const base = meta.history_mode === "paginated" ? yield* baseState(meta, home) : undefined
      start = base === undefined ? ThreadRead.empty : ThreadRead.inherit(base)
    }
    // A replay (not the live builder) reads large files ahead in a second thread.
    const state = yield* Thread.foldPaths(paths, start, ThreadRead.step, options.allEvents === undefined ? { ...streaming, readAhead: "history" } : streaming)
    meta = ThreadRead.meta(state)
    if (meta === null) return yield* noMeta(arg)
    const path = paths[paths.length - 1] ?? arg
    const stat = yield* Effect.promise(() => files.stat(path))
    const name = yield* Effect.promise(() => CodexHome.threadName(files, home, meta.id))
    return { state, file: { path: nodePath.resolve(path), mtimeMs: stat.mtimeMs, ...(name === undefined ? {} : { name }) } }
  })

/** Fresh UUIDv7 ids for the live builder: the clock and 74 random bits, taken once per command. */
export const freshIds = Effect.gen(function* () {
  const ms = yield* Clock.currentTimeMillis
  let random = 0n
  for (let i = 0; i < 3; i++) random = (random << 32n) | BigInt((yield* Random.nextIntBetween(0, 2 ** 32 - 1)) >>> 0)
  return { freshId: Uuid7.sequence(ms, random) }
})

const allEvents = Flag.Boolean("all-events").pipe(
  Flag.withDescription(
    "Skip the persistence filter and feed every line to the reducer, the way Codex builds a live thread (exec, collab, dynamic tool and error events become items); implicit turns get fresh UUIDv7 ids."
  ),
  Flag.withDefault(false)
)

export const command = Command.make("history", { thread: Thread.argument, allEvents, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const output = yield* Output
    const options = args.allEvents ? { allEvents: yield* freshIds } : {}
    if (!args.json) return output.stdout(transcript((yield* read(args.thread, args.codexHome, options)).thread))
    // The JSON is assembled from each finished turn's text: the history is never held as objects.
    const { state, file } = yield* load(args.thread, args.codexHome, options)
    const parts = ThreadRead.threadJsonParts(state, file)
    if (parts === undefined) return yield* noMeta(args.thread)
    // One document, written a turn at a time so the whole text is never one string.
    output.stdout('{"thread":')
    for (const part of parts) output.stdout(part)
    output.stdout("}\n")
  })
).pipe(
  Command.withDescription(
    "The thread's turns and items exactly as Codex app-server v2 thread/read returns them. With --json: {\"thread\": Thread}; without, a readable transcript."
  ),
  Command.withExamples([
    { command: "rollout history 0198f2a4-5b6c-7d8e-9f00-112233445566", description: "read a thread as a transcript" },
    { command: "rollout history session.jsonl --all-events --json", description: "every event, as a live thread would show it" }
  ])
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

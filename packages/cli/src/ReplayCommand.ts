/**
 * `rollout replay THREAD`: a recorded session, line by line. `--at N` prints the thread as
 * `thread/read` builds it from lines 1..N only (legacy rollouts through `ThreadHistory`, paginated
 * ones through `PaginatedHistory`); `--step` walks the lines interactively (`ReplayStep`);
 * `--verify` re-executes the session against its recorded model output with the engine
 * (`@rollout/engine/Replay`) and compares the lines, exit 1 when they differ. Line numbers are the
 * file's (a thread in several files numbers on across them); blank and unreadable lines keep
 * their numbers but fold nothing.
 */
import * as nodePath from "node:path"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as Replay from "@rollout/engine/Replay"
import * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as AppendOnly from "@rollout/reduce/AppendOnly"
import * as PaginatedHistory from "@rollout/reduce/PaginatedHistory"
import * as ThreadHistory from "@rollout/reduce/ThreadHistory"
import * as ThreadMetadata from "@rollout/reduce/ThreadMetadata"
import * as Timeline from "@rollout/reduce/Timeline"
import { InvalidInput, UnreadableInput, UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import * as HistoryCommand from "./HistoryCommand.js"
import { Input } from "./Input.js"
import { Output } from "./Output.js"
import * as ReplayStep from "./ReplayStep.js"
import * as Thread from "./Thread.js"

/** Every line of the thread's files, numbered on across files; problems go to stderr. */
const readEntries = (paths: ReadonlyArray<string>): Effect.Effect<Array<ReplayStep.Entry>, UnreadableInput, Files.Files | Output> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const output = yield* Output
    const entries: Array<ReplayStep.Entry> = []
    let base = 0
    let unreadable: string | undefined
    for (const path of paths) {
      const last = yield* Effect.promise(async () => {
        let last = 0
        for await (const batch of RolloutReader.batches(files, path)) {
          for (const e of batch) {
            last = Math.max(last, e.line)
            if (e._tag === "Diagnostic") {
              if (e.kind === "read_error") unreadable = e.message
              output.stderr(`${e.path}:${e.line}: ${e.kind}: ${e.message}\n`)
              continue
            }
            const decoded = RolloutLine.decode(e.value)
            if (decoded._tag === "Invalid") output.stderr(`${path}:${e.line}: invalid_payload: ${decoded.what}: ${decoded.message.replace(/\s*\n\s*/g, "; ")}\n`)
            entries.push({ number: base + e.line, log: e, typed: decoded._tag === "Known" ? decoded.line : undefined })
          }
        }
        return last
      })
      base += last
    }
    if (unreadable !== undefined && entries.length === 0) return yield* new UnreadableInput({ message: unreadable })
    return entries
  })

const typedLines = (entries: ReadonlyArray<ReplayStep.Entry>): Array<RolloutLine.RolloutLine> => entries.flatMap((e) => (e.typed === undefined ? [] : [e.typed]))

const sessionMeta = (lines: ReadonlyArray<RolloutLine.RolloutLine>) => {
  const first = lines.find((l) => l.type === "session_meta")
  return first?.type === "session_meta" ? first.payload : undefined
}

const isTurnStart = (e: ReplayStep.Entry) => e.typed?.type === "event_msg" && (e.typed.payload.type === "task_started" || e.typed.payload.type === "turn_started")
const isUserMessage = (e: ReplayStep.Entry) => e.typed?.type === "event_msg" && e.typed.payload.type === "user_message"

/** Calls `use` with the session's timeline over the right fold (the fold's state type stays inside). */
const withSession = <A>(
  entries: ReadonlyArray<ReplayStep.Entry>,
  base: PaginatedHistory.State,
  title: string,
  use: <S>(session: ReplayStep.Session<S>) => A
): A => {
  // Rollouts older than task_started events mark their turns by the user's messages.
  const startsTurn = entries.some(isTurnStart) ? isTurnStart : isUserMessage
  if (sessionMeta(typedLines(entries))?.history_mode === "paginated") {
    const step = (s: PaginatedHistory.State, e: ReplayStep.Entry) => (e.typed === undefined ? s : PaginatedHistory.step(s, e.typed))
    const live = (s: PaginatedHistory.State) => [...AppendOnly.toArray(s.older), ...(s.newest === null ? [] : [s.newest])]
    return use({ title, timeline: Timeline.make(entries, step, base, { startsTurn }), turns: PaginatedHistory.turns, live })
  }
  const step = (s: ThreadHistory.State, e: ReplayStep.Entry) => (e.typed === undefined ? s : ThreadHistory.step(s, e.typed))
  return use({
    title,
    timeline: Timeline.make(entries, step, ThreadHistory.empty, { startsTurn }),
    turns: (s) => ThreadHistory.normalize(ThreadHistory.finish(s)),
    live: (s) => ThreadHistory.normalize(ThreadHistory.finish(s), true)
  })
}

const at = Flag.Int("at").pipe(
  Flag.withMetavar("N"),
  Flag.withDescription("Print the thread (turns and items, as thread/read builds them) after line N (1-based), folding only lines 1..N. With --step: start there."),
  Flag.optional
)
const stepFlag = Flag.Boolean("step").pipe(
  Flag.withDescription("Step through the session interactively: n/→ next line, p/← previous, N/P next/previous turn, g N⏎ go to line N, q quit."),
  Flag.withDefault(false)
)
const verifyFlag = Flag.Boolean("verify").pipe(
  Flag.withDescription("Re-execute the session with the engine against its recorded model output and compare the lines. Exit 1 when they differ. With --json: {\"identical\", \"firstDifference\"}."),
  Flag.withDefault(false)
)

export const command = Command.make(
  "replay",
  { thread: Thread.argument, at, step: stepFlag, verify: verifyFlag, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      const files = yield* Files.Files
      const atLine = Option.getOrUndefined(args.at)
      if (args.verify && (args.step || atLine !== undefined)) return yield* new UsageError({ message: "replay: --verify re-executes the whole session; it does not combine with --at or --step" })
      if (args.step && args.json) return yield* new UsageError({ message: "replay: --step is interactive and has no --json form (use --at N --json)" })
      if (!args.verify && !args.step && atLine === undefined) return yield* new UsageError({ message: "replay: choose --at N, --step or --verify" })
      const paths = yield* Thread.resolve(args.thread, args.codexHome)

      if (args.verify) {
        const verdict = yield* Effect.tryPromise({
          try: () => Replay.verify(files, paths, { codexHome: args.codexHome }),
          catch: (error) => new InvalidInput({ message: `replay --verify: ${error instanceof Error ? error.message : String(error)}` })
        })
        if (!verdict.identical) output.fail(1)
        output.stdout(args.json ? `${JSON.stringify(verdict)}\n` : verdictText(verdict))
        return
      }

      const entries = yield* readEntries(paths)
      const lines = typedLines(entries)
      const meta = sessionMeta(lines)
      // A paginated fork starts from its parent's history at the fork point, as `history` reads it.
      const inherited = meta?.history_mode === "paginated" ? yield* HistoryCommand.baseState(meta, args.codexHome) : undefined
      const base = inherited?.paginated ?? PaginatedHistory.empty
      const lastNumber = entries.at(-1)?.number ?? 0
      if (atLine !== undefined && (atLine < 1 || atLine > lastNumber)) {
        return yield* new UsageError({ message: `replay: --at ${atLine} is outside the session's lines 1..${lastNumber}` })
      }
      const title = meta === undefined ? args.thread : `thread ${meta.id}`

      if (args.step) {
        const input = yield* Input
        yield* Effect.promise(() =>
          withSession(entries, base, title, (session) => {
            const start = Timeline.at(session.timeline, atLine === undefined ? 0 : ReplayStep.positionOf(session, atLine))
            return ReplayStep.run(session, start, input, output).then(() => undefined)
          })
        )
        return
      }

      const n = atLine as number
      const turns = withSession(entries, base, title, (session) => session.turns(Timeline.stateAt(session.timeline, ReplayStep.positionOf(session, n))))
      const upTo = typedLines(entries.filter((e) => e.number <= n))
      const path = paths[paths.length - 1] ?? args.thread
      const stat = yield* Effect.promise(() => files.stat(path))
      const name = meta === undefined ? undefined : yield* Effect.promise(() => CodexHome.threadName(files, args.codexHome, meta.id))
      const start = inherited === undefined ? ThreadMetadata.empty : ThreadMetadata.inherit(inherited.metadata)
      const thread = ThreadMetadata.thread(ThreadMetadata.fold(upTo, start), { path: nodePath.resolve(path), mtimeMs: stat.mtimeMs, ...(name === undefined ? {} : { name }) })
      if (thread === undefined) return yield* new InvalidInput({ message: `${args.thread}: no session_meta in lines 1..${n}, so no thread to show` })
      const full = { ...thread, turns }
      output.stdout(
        args.json
          ? `${JSON.stringify({ line: n, thread: full })}\n`
          : [`${title} after line ${n} of ${lastNumber}: ${turns.length} turn${turns.length === 1 ? "" : "s"}`, "", ...ReplayStep.describeTurns(turns)].join("\n") + "\n"
      )
    })
).pipe(
  Command.withDescription(
    "Replay a recorded session. --at N: the thread (as thread/read builds it) after line N, from lines 1..N only; with --json {\"line\": N, \"thread\": Thread}. --step: walk the lines interactively, with the thread state after each. --verify: re-execute the session against its recorded model output and compare the event streams (exit 1 when they differ; with --json {\"identical\", \"firstDifference\"})."
  ),
  Command.withExamples([
    { command: "rollout replay 0198f2a4-5b6c-7d8e-9f00-112233445566 --at 40 --json", description: "the thread after line 40" },
    { command: "rollout replay session.jsonl --step", description: "step through a session" },
    { command: "rollout replay 0198f2a4-5b6c-7d8e-9f00-112233445566 --verify", description: "prove the engine reproduces it" }
  ])
)

const verdictText = (v: Replay.Verdict): string => {
  if (v.identical) return "identical: the re-executed session matches the recording line for line\n"
  const d = v.firstDifference
  if (d === null) return "different\n"
  const show = (s: string | null) => (s === null ? "(no line)" : s.length > 400 ? `${s.slice(0, 399)}…` : s)
  return `different: first difference at line ${d.line}\n  recorded:    ${show(d.expected)}\n  re-executed: ${show(d.actual)}\n`
}

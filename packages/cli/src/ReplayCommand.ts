/**
 * `rollout replay THREAD`: a recorded session, line by line. `--at N` prints the thread as
 * `thread/read` builds it from lines 1..N only (legacy rollouts through `ThreadHistory`, paginated
 * ones through `PaginatedHistory`); `--step` walks the lines interactively (`ReplayStep`);
 * `--verify` re-executes the session against its recorded model output with the engine
 * (`@rollout/engine/Replay`) and compares the lines, exit 1 when they differ; for a thread another
 * writer started, the session of ours that resumed it (`run --resume`), from the resume on. Line numbers are the
 * file's (a thread in several files numbers on across them); blank and unreadable lines keep
 * their numbers but fold nothing.
 */
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as Files from "@rollout/log/Files"
import * as Replay from "@rollout/engine/Replay"
import * as HistoryRead from "@rollout/query/HistoryRead"
import * as ReplaySession from "@rollout/query/ReplaySession"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import * as Timeline from "@rollout/reduce/Timeline"
import * as WorkLog from "@rollout/reduce/WorkLog"
import * as Transcript from "@rollout/view/Transcript"
import { InvalidInput, UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Input } from "./Input.js"
import { Output, withDiagnostics } from "./Output.js"
import * as PieceWriter from "./PieceWriter.js"
import * as ReplayStep from "./ReplayStep.js"

/** The originator the engine writes into its rollouts' session_meta (`rollout run`). */
const ENGINE_ORIGINATOR = "rollout"

const at = Flags.intIn("at", 1).pipe(
  Flag.withDescription(
    "Print the thread (turns and items, as thread/read builds them) after line N (1-based), folding only lines 1..N and saying only their problems. With --step: start there."
  ),
  Flag.optional
)
const stepFlag = Flag.Boolean("step").pipe(
  Flag.withDescription(
    "Step through the session interactively: n/→ next line, p/← previous, N/P next/previous turn, g N⏎ go to line N, q quit. Keys may also come from a pipe, spaced or one a line (printf 'n n g12\\n q')."
  ),
  Flag.withDefault(false)
)
const verifyFlag = Flag.Boolean("verify").pipe(
  Flag.withDescription(
    'Re-execute the session with the engine against its recorded model output and compare the lines. For a thread another writer (Codex) started and `rollout run --resume` continued: the resumed session, from the turn it resumed after. Exit 1 when they differ. With --json: {"identical", "firstDifference"} (and "resumedAt", the lines taken as recorded, for a resumed session).'
  ),
  Flag.withDefault(false)
)

export const command = Command.make(
  "replay",
  { thread: Flags.thread, at, step: stepFlag, verify: verifyFlag, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    withDiagnostics(
      Effect.gen(function* () {
        const output = yield* Output
        const files = yield* Files.Files
        const atLine = Option.getOrUndefined(args.at)
        if (args.verify && (args.step || atLine !== undefined))
          return yield* new UsageError({ message: "--verify re-executes the whole session; it does not combine with --at or --step" })
        if (args.step && args.json) return yield* new UsageError({ message: "--step is interactive and has no --json form (use --at N --json)" })
        if (!args.verify && !args.step && atLine === undefined) return yield* new UsageError({ message: "choose --at N, --step or --verify" })
        const paths = yield* ThreadArgument.resolveRollout(args.thread, args.codexHome)

        if (args.verify) {
          // Only this engine's own recordings hold what a re-run needs (its ids, clocks and model
          // output in its shapes); another writer's session would just differ at line 1. A thread
          // another writer started may hold a session of ours that resumed it (`run --resume`).
          const originator = (yield* ThreadArgument.firstMeta(paths[0] ?? ""))?.["originator"]
          const replayed = (run: () => Promise<Replay.Verdict | undefined>) =>
            Effect.tryPromise({
              try: run,
              catch: (error) => new InvalidInput({ message: `replay --verify: ${error instanceof Error ? error.message : String(error)}` })
            })
          const verdict =
            originator === ENGINE_ORIGINATOR
              ? yield* replayed(() => Replay.verify(files, paths, { codexHome: args.codexHome }))
              : paths.length === 1
                ? yield* replayed(() => Replay.verifyResumed(files, paths[0] as string, { codexHome: args.codexHome }))
                : undefined
          if (verdict === undefined)
            return yield* new InvalidInput({
              message: `only sessions this engine recorded (rollout run, originator "${ENGINE_ORIGINATOR}") can be re-executed; ${args.thread} was written by ${typeof originator === "string" ? `"${originator}"` : "another writer"} and no turn of it re-executes as a session of rollout run --resume (use --at N or --step to replay it)`
            })
          if (!verdict.identical) output.fail(1)
          output.stdout(args.json ? `${JSON.stringify(verdict)}\n` : verdictText(verdict))
          return
        }

        if (atLine !== undefined && args.json) {
          // A large legacy thread is written as it is read, as `history` writes it (`--at N --json`
          // is `history` of the thread's first N lines), never held; the rest is held below.
          const writer = PieceWriter.make(output.stdout, `{"line":${atLine},"thread":`)
          if (yield* HistoryRead.writeJsonUntil(paths, args.codexHome, atLine, writer.put)) return writer.end("}\n")
        }

        // `--at N` folds lines 1..N only, and says only their problems; `--step` may go anywhere.
        const recording = yield* ReplaySession.open(paths, args.codexHome, {}, args.step ? undefined : atLine)
        const { meta, lastNumber } = recording
        if (atLine !== undefined && (atLine < 1 || atLine > lastNumber)) {
          return yield* new UsageError({ message: `--at ${atLine} is outside the session's lines 1..${lastNumber}` })
        }
        const title = meta === undefined ? args.thread : `thread ${meta.id}`

        if (args.step) {
          const input = yield* Input
          yield* Effect.promise(() =>
            ReplaySession.session(recording, title, async (session) => {
              const start = await Timeline.at(session.timeline, atLine === undefined ? 0 : await ReplaySession.positionOf(session, atLine))
              await ReplayStep.run(session, start, input, output)
            })
          )
          return
        }

        const n = atLine as number
        const { thread: full, work: folded } = yield* ReplaySession.threadAt(recording, n, args.thread, args.codexHome, args.json ? "read" : "live")
        const turns = full.turns
        // The work log of lines 1..n, for the human view (commands and their output between the items).
        const work = { work: WorkLog.finish(folded), usage: WorkLog.usageByTurn(folded) }
        output.stdout(
          args.json
            ? `${JSON.stringify({ line: n, thread: full })}\n`
            : `${[
                `${title} after line ${n} of ${lastNumber}: ${turns.length} turn${turns.length === 1 ? "" : "s"}`,
                "",
                ...Transcript.describeTurns(turns, turns.length, 12, work)
              ].join("\n")}\n`
        )
      })
    )
).pipe(
  Command.withShortDescription("Replay a session: --at N, --step, or --verify (re-execute)"),
  Command.withDescription(
    'Replay a recorded session. --at N: the thread (as thread/read builds it) after line N, from lines 1..N only; with --json {"line": N, "thread": Thread}. --step: walk the lines interactively, with the thread state after each. --verify: re-execute the session against its recorded model output and compare the event streams (exit 1 when they differ; with --json {"identical", "firstDifference"}).'
  ),
  Command.withExamples([
    { command: "rollout replay 0198f2a4-5b6c-7d8e-9f00-112233445566 --at 40 --json", description: "the thread after line 40" },
    { command: "rollout replay session.jsonl --step", description: "step through a session" },
    { command: "rollout replay 0198f2a4-5b6c-7d8e-9f00-112233445566 --verify", description: "prove the engine reproduces it" }
  ])
)

const verdictText = (v: Replay.Verdict | Replay.ResumedVerdict): string => {
  if (v.identical && "resumedAt" in v)
    return `identical: the session that resumed the thread after line ${v.resumedAt} re-executes to the recording line for line (lines 1..${v.resumedAt} were another writer's, taken as recorded)\n`
  if (v.identical) return "identical: the re-executed session matches the recording line for line\n"
  const d = v.firstDifference
  if (d === null) return "different\n"
  const show = (s: string | null) => (s === null ? "(no line)" : s.length > 400 ? `${s.slice(0, 399)}…` : s)
  return `different: first difference at line ${d.line}\n  recorded:    ${show(d.expected)}\n  re-executed: ${show(d.actual)}\n`
}

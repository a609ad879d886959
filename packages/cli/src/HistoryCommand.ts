/**
 * `rollout history THREAD`: the thread's turns and items exactly as Codex app-server v2
 * `thread/read` (with `includeTurns`) returns them, rebuilt by `@rollout/query/HistoryRead`. With
 * `--json` the document streams out a turn at a time; without, a readable transcript that also
 * shows the work `thread/read` leaves out of a legacy rollout (`@rollout/query/TranscriptRead`).
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as HistoryRead from "@rollout/query/HistoryRead"
import * as Flags from "./Flags.js"
import * as PieceWriter from "./PieceWriter.js"
import { Output, withDiagnostics } from "./Output.js"

const allEvents = Flag.Boolean("all-events").pipe(
  Flag.withDescription(
    "Skip the persistence filter and feed every line to the reducer, the way Codex builds a live thread (exec, collab, dynamic tool and error events become items); implicit turns get fresh UUIDv7 ids."
  ),
  Flag.withDefault(false)
)

export const command = Command.make("history", { thread: Flags.thread, allEvents, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  withDiagnostics(
    Effect.gen(function* () {
      const output = yield* Output
      const options = args.allEvents ? { allEvents: yield* HistoryRead.freshIds } : {}
      if (!args.json) {
        // The transcript's modules are loaded only for it: `--json` starts without them.
        const [TranscriptRead, Transcript] = yield* Effect.promise(() =>
          Promise.all([import("@rollout/query/TranscriptRead"), import("@rollout/view/Transcript")])
        )
        // A large thread's turns are written as they become final; the rest at the end.
        const { put, end } = PieceWriter.make(output.stdout)
        const rest = yield* TranscriptRead.stream(
          args.thread,
          args.codexHome,
          { head: (thread) => put(Transcript.head(thread)), turn: (t) => put(Transcript.released(t)) },
          options
        )
        put(Transcript.turns(rest, rest.offset))
        return end(Transcript.tail(rest.offset + rest.thread.turns.length))
      }
      // One document, written in pieces as the turns are read (`PieceWriter`).
      const writer = PieceWriter.make(output.stdout, '{"thread":')
      yield* HistoryRead.writeJson(args.thread, args.codexHome, writer.put, options)
      writer.end("}\n")
    })
  )
).pipe(
  Command.withShortDescription("A thread's turns and items, as Codex thread/read returns them"),
  Command.withDescription(
    'The thread\'s turns and items exactly as Codex app-server v2 thread/read returns them. With --json: {"thread": Thread}; without, a readable transcript.'
  ),
  Command.withExamples([
    { command: "rollout history 0198f2a4-5b6c-7d8e-9f00-112233445566", description: "read a thread as a transcript" },
    { command: "rollout history session.jsonl --all-events --json", description: "every event, as a live thread would show it" }
  ])
)

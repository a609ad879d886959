/**
 * `rollout resume THREAD --json` and `rollout fork THREAD --before-user-message N [--write] --json`:
 * the model-visible history a resumed (or forked) thread starts from, as Codex rebuilds it —
 * compaction checkpoints, rollbacks, the previous turn settings, the reference context item and
 * the last token usage. Items are printed in rollout wire format. Resume reads the rollout from its
 * end and stops at the newest checkpoint that survives (`ResumeRead`); fork reads it forward, and
 * with `--write` saves the fork as a new thread of the Codex home (`ForkWrite`).
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as Json from "@rollout/protocol/Json"
import * as ForkWrite from "@rollout/query/ForkWrite"
import * as ResumeRead from "@rollout/query/ResumeRead"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import * as Terminal from "@rollout/view/Terminal"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import * as Flags from "./Flags.js"
import { Output, withDiagnostics } from "./Output.js"
import * as ResumeHint from "./ResumeHint.js"

const describeItem = (item: unknown): string => {
  if (typeof item !== "object" || item === null) return String(item)
  const o = item as { type?: unknown; role?: unknown; name?: unknown; content?: unknown }
  const text = Array.isArray(o.content)
    ? o.content
        .map((c: { text?: unknown }) => (typeof c?.text === "string" ? c.text : ""))
        .join(" ")
        .replace(/\s+/g, " ")
        .trim()
    : ""
  const head = [o.type, o.role ?? o.name].filter((x) => typeof x === "string").join(" ")
  return text === "" ? head : `${head}: ${text.length > 90 ? `${text.slice(0, 89)}…` : text}`
}

// Each item's text is the rollout's: escaped, so a message cannot drive the terminal or break its line.
const human = (history: ReadonlyArray<unknown>): string =>
  `${history.map((item, i) => `${String(i).padStart(4)}  ${Terminal.field(describeItem(item))}`).join("\n")}\n\n${history.length} item${history.length === 1 ? "" : "s"}\n`

export const resume = Command.make("resume", { thread: Flags.thread, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  withDiagnostics(
    Effect.gen(function* () {
      const output = yield* Output
      // A file that is no rollout is refused here: read from its end it would answer "0 items".
      yield* ThreadArgument.resolveRollout(args.thread, args.codexHome)
      const result = yield* ResumeRead.resume(args.thread, args.codexHome)
      output.stdout(args.json ? `${Json.stringify(result)}\n` : human(result.history))
    })
  )
).pipe(
  Command.withShortDescription("The model-visible history a resumed thread starts from"),
  Command.withDescription(
    "The model-visible history a resumed thread starts from, rebuilt as Codex does: compaction checkpoints replace what came before, rollbacks drop whole user turns. The rollout is read from its end and only back to the newest checkpoint that survives (a .jsonl.zst file is read whole); problems in the part read go to stderr. With --json: {history, previousTurnSettings, referenceContextItem, tokenUsage}. Exit 1 for a file that holds no rollout, 2 when THREAD is not found."
  ),
  Command.withExamples([
    { command: "rollout resume 01a1fb98-3e76", description: "one line per item the model sees on resume" },
    { command: "rollout resume session.jsonl --json", description: "the history, turn settings and token usage, as JSON" }
  ])
)

const beforeUserMessage = Flags.intIn("before-user-message", 0).pipe(
  Flag.withDescription("Cut before the N-th user message (0-based, 0 or more). N past the last user message keeps the whole thread.")
)

const write = Flag.Boolean("write").pipe(
  Flag.withDescription(
    "Save the fork as a new thread in the Codex home (sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl): its own session_meta with a new id and forked_from_id, then the source's lines before the cut. The source is not modified. Prints the new thread id and path."
  ),
  Flag.withDefault(false)
)

/** The cwd of the fork's own `session_meta` line (its first), where Codex resumes it. */
const metaCwd = (line: string | undefined): string | null => {
  try {
    const cwd = (JSON.parse(line ?? "null") as { payload?: { cwd?: unknown } } | null)?.payload?.cwd
    return typeof cwd === "string" ? cwd : null
  } catch {
    return null
  }
}

export const fork = Command.make(
  "fork",
  { thread: Flags.thread, beforeUserMessage, write, codexVersion: Flags.codexVersion, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    withDiagnostics(
      Effect.gen(function* () {
        const output = yield* Output
        yield* ThreadArgument.resolveRollout(args.thread, args.codexHome)
        if (!args.write) {
          const lines = yield* ForkWrite.lines(args.thread, args.codexHome)
          const result = { history: ForkWrite.history(lines, args.beforeUserMessage) }
          output.stdout(args.json ? `${Json.stringify(result)}\n` : human(result.history))
          return
        }
        const planned = yield* ForkWrite.save(args.thread, args.codexHome, args.beforeUserMessage).pipe(
          Effect.provideService(WriterVersion.Current, args.codexVersion)
        )
        const resumeCommand = ResumeHint.line(planned.threadId, metaCwd(planned.lines[0]))
        const result = { threadId: planned.threadId, forkedFromId: planned.forkedFromId, path: planned.path, history: planned.history, resumeCommand }
        output.stdout(
          args.json
            ? `${Json.stringify(result)}\n`
            : `forked ${planned.forkedFromId} into ${planned.threadId}\n${planned.path}\nresume in Codex: ${Terminal.field(resumeCommand)}\n`
        )
      })
    )
).pipe(
  Command.withShortDescription("The history a fork starts from (--write saves it)"),
  Command.withDescription(
    "The history a fork of the thread starts from, cut before the N-th user message. With --json: {history}. With --write, the fork is also saved as a new thread (see --write); --json then prints {threadId, forkedFromId, path, history, resumeCommand}. Exit 1 for a file that holds no rollout, 2 when THREAD is not found."
  ),
  Command.withExamples([
    { command: "rollout fork 01a1fb98-3e76 --before-user-message 1", description: "the history before the second user message" },
    { command: "rollout fork 01a1fb98-3e76 --before-user-message 1 --write", description: "save it as a new thread, then resume it in Codex" }
  ])
)

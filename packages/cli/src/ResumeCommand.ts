/**
 * `rollout resume THREAD --json` and `rollout fork THREAD --before-user-message N --json`: the
 * model-visible history a resumed (or forked) thread starts from, as Codex rebuilds it —
 * compaction checkpoints, rollbacks, the previous turn settings, the reference context item and
 * the last token usage. Items are printed in rollout wire format.
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as Json from "@rollout/protocol/Json"
import * as ForkHistory from "@rollout/reduce/ForkHistory"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"
import * as Thread from "./Thread.js"

const describeItem = (item: unknown): string => {
  if (typeof item !== "object" || item === null) return String(item)
  const o = item as { type?: unknown; role?: unknown; name?: unknown; content?: unknown }
  const text = Array.isArray(o.content)
    ? o.content.map((c: { text?: unknown }) => (typeof c?.text === "string" ? c.text : "")).join(" ").replace(/\s+/g, " ").trim()
    : ""
  const head = [o.type, o.role ?? o.name].filter((x) => typeof x === "string").join(" ")
  return text === "" ? head : `${head}: ${text.length > 90 ? `${text.slice(0, 89)}…` : text}`
}

const human = (history: ReadonlyArray<unknown>): string =>
  history.map((item, i) => `${String(i).padStart(4)}  ${describeItem(item)}`).join("\n") + `\n\n${history.length} item${history.length === 1 ? "" : "s"}\n`

export const resume = Command.make("resume", { thread: Thread.argument, json: Flags.json, codexHome: Flags.codexHome }, (args) =>
  Effect.gen(function* () {
    const output = yield* Output
    const lines = yield* Thread.lines(args.thread, args.codexHome)
    const result = ResumeHistory.finish(ResumeHistory.fold(lines))
    output.stdout(args.json ? `${Json.stringify(result)}\n` : human(result.history))
  })
).pipe(
  Command.withDescription(
    "The model-visible history a resumed thread starts from, rebuilt as Codex does: compaction checkpoints replace what came before, rollbacks drop whole user turns. With --json: {history, previousTurnSettings, referenceContextItem, tokenUsage}."
  )
)

const beforeUserMessage = Flag.Int("before-user-message").pipe(
  Flag.withMetavar("N"),
  Flag.withDescription("Cut before the N-th user message (0-based). N past the last user message keeps the whole thread.")
)

export const fork = Command.make(
  "fork",
  { thread: Thread.argument, beforeUserMessage, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      const lines = yield* Thread.lines(args.thread, args.codexHome)
      const result = ForkHistory.fork(lines, args.beforeUserMessage)
      output.stdout(args.json ? `${Json.stringify(result)}\n` : human(result.history))
    })
).pipe(Command.withDescription("The history a fork of the thread starts from, cut before the N-th user message. With --json: {history}."))

/**
 * `rollout run "PROMPT"`: runs one turn of the engine against a Responses-API provider
 * (`OPENAI_BASE_URL`, `OPENAI_API_KEY`) and writes the thread's rollout into the Codex home, the way
 * Codex would; with `--resume THREAD` the turn continues that thread and is appended to its rollout. `rollout run --demo` runs the scripted demo session locally instead (a local
 * scripted Responses server, no network, no key): every engine behaviour, one thread per scenario.
 * `CODEX_ROLLOUT_TRACE_ROOT` (read here, through the CLI's config provider) turns on trace bundles.
 * It is thin: the engine does the work.
 */
import * as nodePath from "node:path"
import { Config, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Demo from "@rollout/engine/Demo"
import * as Engine from "@rollout/engine/Engine"
import * as ForkWrite from "@rollout/query/ForkWrite"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import { InvalidInput, UsageError } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Output } from "./Output.js"

const prompt = Argument.String("PROMPT").pipe(Argument.withDescription("What to ask the model (one turn)."), Argument.optional)

const demo = Flag.Boolean("demo").pipe(
  Flag.withDescription("Run the scripted demo session locally (no network, no key) and write its rollouts to the Codex home."),
  Flag.withDefault(false)
)

const resume = Flag.String("resume").pipe(
  Flag.withMetavar("THREAD"),
  Flag.withDescription("Continue this thread (id, unique id prefix or rollout file) instead of starting one: the new turn is appended to its rollout."),
  Flag.optional
)

const forkBefore = Flags.intIn("fork-before", 0).pipe(
  Flag.withDescription(
    "With --resume: continue a fork of the thread instead, cut before its N-th user message (0-based, as `rollout fork`): the fork is saved as a new thread and the turn appended to it; the original is not touched."
  ),
  Flag.optional
)

const model = Flag.String("model").pipe(Flag.withMetavar("MODEL"), Flag.withDescription("The model to ask. Default: gpt-5.5."), Flag.withDefault("gpt-5.5"))

const baseUrl = Flag.String("base-url").pipe(
  Flag.withMetavar("URL"),
  Flag.withDescription("The Responses API base URL. Default: $OPENAI_BASE_URL, else https://api.openai.com/v1."),
  Flag.withFallbackConfig(Config.String("OPENAI_BASE_URL")),
  Flag.withDefault("https://api.openai.com/v1")
)

const cwd = Flag.String("cwd").pipe(
  Flag.withMetavar("DIR"),
  Flag.withDescription("The working directory recorded for the thread. Default: the current directory."),
  Flag.withDefault("."),
  Flag.map((dir) => nodePath.resolve(dir))
)

/** The rollout file `--resume THREAD` names (its newest file, the one a resume appends to). */
const resumedPath = (thread: string, home: string) =>
  ThreadArgument.resolveRollout(thread, home).pipe(
    Effect.flatMap((paths) => {
      const path = paths.at(-1)
      return path === undefined ? Effect.fail(new InvalidInput({ message: `${thread}: no rollout file` })) : Effect.succeed(path)
    })
  )

/** Runs one turn of `text` on a new thread, or on the resumed thread at `resumePath`. */
const runTurn = async (options: Engine.Options, text: string, resumePath: string | undefined) => {
  const engine = Engine.make(options)
  try {
    const thread = resumePath === undefined ? engine.startThread() : await engine.resumeThread(resumePath, { liveView: false })
    await thread.run(text)
    return thread
  } finally {
    await engine.close()
  }
}

/** The file the turn is appended to: the thread's own, or with `--fork-before N` a fork saved first. */
const targetPath = (thread: string, home: string, forkBefore: Option.Option<number>) =>
  Option.isSome(forkBefore) ? ForkWrite.save(thread, home, forkBefore.value).pipe(Effect.map((fork) => fork.path)) : resumedPath(thread, home)

export const command = Command.make(
  "run",
  { prompt, demo, resume, forkBefore, model, baseUrl, cwd, codexVersion: Flags.codexVersion, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      // Codex's switch for rollout-trace bundles: unset or empty records none.
      const traceRoot = yield* Config.String("CODEX_ROLLOUT_TRACE_ROOT").pipe(Config.withDefault(""))
      const trace = traceRoot === "" ? {} : { traceRoot: nodePath.resolve(traceRoot) }
      if (args.demo) {
        if (Option.isSome(args.prompt) || Option.isSome(args.resume))
          return yield* new UsageError({ message: "give either PROMPT (and --resume) or --demo, not both" })
        const threads = yield* Effect.promise(() => Demo.run({ codexHome: args.codexHome, cwd: args.cwd, ...trace }))
        output.stdout(
          args.json
            ? `${JSON.stringify({ threads })}\n`
            : `${threads
                .map(
                  (t) =>
                    `${t.scenario.padEnd(28)} ${t.agentPath.padEnd(14)} ${t.threadId}  ${t.path}${t.trace === undefined ? "" : `\n${"".padEnd(44)}trace ${t.trace}`}`
                )
                .join("\n")}\n`
        )
        return
      }
      if (Option.isNone(args.prompt)) return yield* new UsageError({ message: "give a PROMPT, or --demo" })
      if (Option.isSome(args.forkBefore) && Option.isNone(args.resume)) return yield* new UsageError({ message: "--fork-before goes with --resume THREAD" })
      const apiKey = yield* Config.String("OPENAI_API_KEY").pipe(Config.withDefault(""))
      if (apiKey === "") return yield* new UsageError({ message: "set OPENAI_API_KEY (and OPENAI_BASE_URL for another provider)" })
      const text = args.prompt.value
      const resumePath = Option.isSome(args.resume)
        ? yield* targetPath(args.resume.value, args.codexHome, args.forkBefore).pipe(Effect.provideService(WriterVersion.Current, args.codexVersion))
        : undefined
      // A resumed thread keeps its own model and cwd (its last turn_context); the flags give a new thread's.
      const options: Engine.Options = {
        codexHome: args.codexHome,
        baseURL: args.baseUrl,
        apiKey,
        config: { cwd: args.cwd, model: args.model, writerVersion: args.codexVersion },
        ...trace
      }
      const outcome = yield* Effect.promise(() =>
        runTurn(options, text, resumePath).then(
          (thread) => ({ thread }),
          (error: unknown) => {
            if (error instanceof Engine.ResumeRefused) return { refused: error.message }
            throw error
          }
        )
      )
      if ("refused" in outcome) return yield* new InvalidInput({ message: outcome.refused })
      const thread = outcome.thread
      const result = yield* Effect.sync(() => {
        const turn = thread.turns().at(-1)
        const last = [...(turn?.items ?? [])].reverse().find((i) => i.type === "agentMessage") as { text?: string } | undefined
        const bundle = thread.thread.trace?.bundle.writer.dir
        return {
          threadId: thread.id,
          path: thread.path() ?? null,
          status: turn?.status ?? "failed",
          lastAgentMessage: last?.text ?? null,
          error: turn?.error ?? null,
          ...(bundle === undefined ? {} : { trace: bundle })
        }
      })
      if (result.status !== "completed") output.fail(1)
      output.stdout(
        args.json
          ? `${JSON.stringify(result)}\n`
          : `${result.lastAgentMessage ?? `(turn ${result.status}${result.error === null ? "" : `: ${JSON.stringify(result.error)}`})`}\n\nthread ${result.threadId} written to ${result.path}\n${result.trace === undefined ? "" : `trace bundle ${result.trace}\n`}`
      )
    })
).pipe(
  Command.withShortDescription("Run the engine: one turn of PROMPT, or --demo"),
  Command.withDescription(
    "Run the engine: one turn of PROMPT against OPENAI_BASE_URL with OPENAI_API_KEY (with --resume THREAD: continuing that thread, its history rebuilt from the end of its rollout as Codex resumes it, the turn appended to the same file in its history mode, legacy or paginated; exit 1 for a compressed one), or --demo for the scripted local session exercising every engine behaviour. Writes Codex rollouts (legacy history mode) into the Codex home. With CODEX_ROLLOUT_TRACE_ROOT set, also records a rollout-trace bundle per root thread under that directory (read it with `rollout trace`). With --json: {threadId, path, status, lastAgentMessage, error[, trace]} or, with --demo, {threads: [{scenario, threadId, path, agentPath[, trace]}]}. Exit 1 when the turn did not complete."
  ),
  Command.withExamples([
    { command: "rollout run --demo --codex-home /tmp/demo-home", description: "the scripted demo, written to a scratch Codex home" },
    { command: 'OPENAI_API_KEY=sk-... rollout run "Summarise README.md"', description: "one real turn" },
    { command: 'OPENAI_API_KEY=sk-... rollout run --resume 019a3b "And the tests?"', description: "continue a thread" },
    {
      command: 'OPENAI_API_KEY=sk-... rollout run --resume 019a3b --fork-before 1 "Try it another way"',
      description: "continue a fork of it, cut before its second user message"
    },
    {
      command: "CODEX_ROLLOUT_TRACE_ROOT=/tmp/traces rollout run --demo --codex-home /tmp/demo-home",
      description: "the demo, with a trace bundle per scenario"
    }
  ])
)

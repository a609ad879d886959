/**
 * `rollout export THREAD [--format markdown|html] [--output FILE] [--timezone IANA]`: the thread as
 * one self-contained document to read or share, rendered (`Markdown`, `Html`) from the same turns
 * `rollout history --json` prints. Without `--output` the document goes to stdout; without
 * `--format`, the format follows `--output`'s extension (`.html`: HTML), else Markdown. Times are
 * shown in `--timezone` (checked as `rollout stats` checks its own), else the machine's zone.
 */
import { Effect, FileSystem, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as Html from "@rollout/view/Html"
import * as Markdown from "@rollout/view/Markdown"
import { UnreadableInput } from "./CliFailure.js"
import * as Flags from "./Flags.js"
import { Output, withDiagnostics } from "./Output.js"

const flags = {
  thread: Flags.thread,
  format: Flag.Literals("format", ["markdown", "html"]).pipe(
    Flag.withDescription(
      "markdown: a .md transcript with collapsible tool output; html: one page with inline CSS, no scripts or external assets, images embedded when they are data. Default: from --output's extension (.html/.htm: html), else markdown."
    ),
    Flag.optional
  ),
  output: Flag.String("output").pipe(Flag.withMetavar("FILE"), Flag.withDescription("Write the document to FILE instead of stdout."), Flag.optional),
  timezone: Flag.String("timezone").pipe(
    Flag.withMetavar("IANA"),
    Flag.withDescription("Show times in this time zone (e.g. Europe/Paris; UTC for a document that reads the same anywhere). Default: this machine's."),
    Flag.filter(StatsWindow.isZone, (tz) => `${tz} is not an IANA time zone (e.g. UTC, Europe/Paris)`),
    Flag.optional
  ),
  codexHome: Flags.codexHome
}

/** `--format`, else what `--output`'s extension names (as pandoc does), else Markdown. */
export const formatOf = (format: Option.Option<"markdown" | "html">, output: Option.Option<string>): "markdown" | "html" => {
  if (Option.isSome(format)) return format.value
  return Option.isSome(output) && /\.html?$/i.test(output.value) ? "html" : "markdown"
}

export const command = Command.make("export", flags, (args) =>
  withDiagnostics(
    Effect.gen(function* () {
      const output = yield* Output
      const transcript = yield* TranscriptRead.read(args.thread, args.codexHome)
      const { thread } = transcript
      const zone = Option.getOrUndefined(args.timezone)
      const document = formatOf(args.format, args.output) === "html" ? Html.render(transcript, zone) : Markdown.render(transcript, zone)
      if (Option.isNone(args.output)) return output.stdout(document)
      const file = args.output.value
      const fs = yield* FileSystem.FileSystem
      yield* fs.writeFileString(file, document).pipe(Effect.mapError((e) => new UnreadableInput({ message: `cannot write ${file}: ${e.message}` })))
      output.stderr(`wrote ${file} (${thread.turns.length} turns, ${Buffer.byteLength(document)} bytes)\n`)
    })
  )
).pipe(
  Command.withShortDescription("A thread as one Markdown or HTML document"),
  Command.withDescription("The thread as one self-contained Markdown or HTML document, rendered from the turns `rollout history` rebuilds."),
  Command.withExamples([
    {
      command: "rollout export 0198f2a4-5b6c-7d8e-9f00-112233445566 --output thread.html",
      description: "a page to open in any browser (HTML from the extension)"
    },
    { command: "rollout export session.jsonl", description: "Markdown on stdout" },
    { command: "rollout export session.jsonl --timezone UTC --output thread.md", description: "times in UTC, the same on every machine" }
  ])
)

/**
 * `rollout export THREAD [--format markdown|html] [--output FILE] [--timezone IANA]`: the thread as
 * one self-contained document to read or share, rendered (`Markdown`, `Html`) from the same turns
 * `rollout history --json` prints. Without `--output` the document goes to stdout; without
 * `--format`, the format follows `--output`'s extension (`.html`: HTML), else Markdown. Times are
 * shown in `--timezone` (checked as `rollout stats` checks its own), else the machine's zone.
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as DurableFile from "@rollout/log/DurableFile"
import { Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import type * as Files from "@rollout/log/Files"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as StatsWindow from "@rollout/reduce/StatsWindow"
import * as Html from "@rollout/view/Html"
import * as Markdown from "@rollout/view/Markdown"
import * as Terminal from "@rollout/view/Terminal"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import type { InvalidInput, UnreadableInput } from "./CliFailure.js"
import * as ExportRows from "./ExportRows.js"
import * as Flags from "./Flags.js"
import * as PieceWriter from "./PieceWriter.js"
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

/**
 * A document format in pieces: a first pass adds each turn to the outline its head needs (table
 * of contents, totals), then the head, each turn and the end are written; `render` is the whole
 * document at once, for a thread read in one pass.
 */
export interface Format<O> {
  readonly outline: () => O
  readonly add: (o: O, t: WorkedTurns.TurnView) => void
  readonly head: (thread: ThreadItem.Thread, o: O, put: (text: string) => void) => void
  readonly part: (t: WorkedTurns.TurnView, o: O) => string
  /** Lets the table of contents go once the head is written (a thread of many turns has a long one). */
  readonly written: (o: O) => void
  readonly end: (count: number) => string
  readonly render: (t: TranscriptRead.Transcript) => string
}

const markdown = (zone: string | undefined, keepBytes?: number): Format<ExportRows.Rows> => ({
  outline: () => ExportRows.make(keepBytes),
  add: (o, t) => o.push(Markdown.contentsRow(t)),
  head: (thread, o, put) => Markdown.writeHead(thread, o, put, zone),
  part: (t) => Markdown.turnPart(t, zone),
  written: (o) => o.clear(),
  end: () => Markdown.end,
  render: (t) => Markdown.render(t, zone)
})

const html = (zone: string | undefined, keepBytes?: number): Format<Html.Outline & { readonly rows: ExportRows.Rows }> => ({
  outline: () => ({ ...Html.outline(), rows: ExportRows.make(keepBytes) }),
  add: Html.add,
  head: (thread, o, put) => Html.writeHead(thread, o, put, zone),
  part: (t, o) => Html.turnPart(t, o, zone),
  written: (o) => o.rows.clear(),
  end: Html.end,
  render: (t) => Html.render(t, zone)
})

/**
 * The two formats, each showing times in `zone` (the machine's when undefined); a streamed
 * export keeps `keepBytes` of its table of contents in memory (`ExportRows`), the rest in a file.
 */
export const formats = { markdown, html } as const

const ignore = () => {}

/** The turns a streamed read did not hand out, numbered after those it did. */
const restViews = (rest: TranscriptRead.Rest) => WorkedTurns.turns(rest).map((t) => ({ ...t, n: t.n + rest.offset }))

/**
 * Writes the document of `thread` to `put` and answers its number of turns. A large legacy thread
 * (`TranscriptRead.stream`) is read twice, so that memory follows the turns in flight, not the
 * document: the first pass learns the outline from the turns as they are handed out, the second
 * writes the head and then each turn as it is handed out. The bytes are those of `render`.
 * Problems with the file's lines are reported by the first pass only.
 */
export const write = <O>(
  format: Format<O>,
  thread: string,
  home: string,
  put: (text: string) => void,
  options: TranscriptRead.StreamOptions = {}
): Effect.Effect<number, InvalidInput | UnreadableInput, Files.Files | Diagnostics.Diagnostics> =>
  Effect.suspend(() => {
    const o = format.outline()
    // The outline's file, if any, goes whatever happens.
    return written(format, o, thread, home, put, options).pipe(Effect.ensuring(Effect.sync(() => format.written(o))))
  })

const written = <O>(format: Format<O>, o: O, thread: string, home: string, put: (text: string) => void, options: TranscriptRead.StreamOptions) =>
  Effect.gen(function* () {
    let released = 0
    const first = yield* TranscriptRead.stream(thread, home, { head: ignore, turn: (r) => (released++, format.add(o, WorkedTurns.ofReleased(r))) }, options)
    if (released === 0) {
      put(format.render(first))
      return first.thread.turns.length
    }
    for (const t of restViews(first)) format.add(o, t)
    const count = first.offset + first.thread.turns.length
    format.head(first.thread, o, put)
    format.written(o)
    const second = yield* TranscriptRead.stream(thread, home, { head: ignore, turn: (r) => put(format.part(WorkedTurns.ofReleased(r), o)) }, options).pipe(
      Effect.provideService(Diagnostics.Diagnostics, { report: ignore })
    )
    for (const t of restViews(second)) put(format.part(t, o))
    put(format.end(count))
    return count
  })

/**
 * Writes to `file` through a temporary file beside it (`<file>.tmp-<hex>`), opened at the first
 * write and renamed over `file` once the document is whole (`finish`): an export that fails or is
 * interrupted (Ctrl-C) leaves an earlier `file` as it was and no partial one, and a thread that
 * cannot be read leaves no file behind. A target that is not a regular file (`/dev/stdout`, a
 * pipe) or a link is written in place, as before. A failed open or write names `file`, so that it
 * ends as one line naming it (`CliFailure.fromSystemError`).
 */
const fileWriter = (file: string) => {
  const existing = fs.lstatSync(file, { throwIfNoEntry: false })
  const inPlace = existing !== undefined && !existing.isFile()
  const temp = inPlace ? file : `${file}.tmp-${crypto.randomBytes(6).toString("hex")}`
  let fd: number | undefined
  let untrack: (() => void) | undefined
  let bytes = 0
  const named = (error: unknown) => Object.assign(error as Error, { path: file })
  return {
    write: (text: string) => {
      try {
        if (fd === undefined) {
          fd = fs.openSync(temp, inPlace ? "w" : "wx")
          if (!inPlace) untrack = DurableFile.track(temp)
        }
        bytes += fs.writeSync(fd, text)
      } catch (error) {
        throw named(error)
      }
    },
    /** The document is whole: it replaces `file`. */
    finish: () => {
      if (fd === undefined) return
      fs.closeSync(fd)
      fd = undefined
      try {
        if (!inPlace) DurableFile.replace(temp, file)
      } catch (error) {
        throw named(error)
      }
    },
    /** After `finish`, or instead of it when the export failed: a temporary file left is removed. */
    close: () => {
      if (fd !== undefined) {
        fs.closeSync(fd)
        fd = undefined
        if (!inPlace) fs.rmSync(temp, { force: true })
      }
      untrack?.()
      untrack = undefined
    },
    bytes: () => bytes
  }
}

export const command = Command.make("export", flags, (args) =>
  withDiagnostics(
    Effect.gen(function* () {
      const output = yield* Output
      const zone = Option.getOrUndefined(args.timezone)
      const isHtml = formatOf(args.format, args.output) === "html"
      const format = isHtml ? html(zone) : markdown(zone)
      // A page shows a bidi override's reordering and a control character as a blank box: its hidden
      // characters are shown escaped, as the web app shows them (`Terminal.page`). Markdown is text
      // for any tool, kept as is.
      const shown = (put: (text: string) => void) => (isHtml ? (text: string) => put(Terminal.page(text)) : put)
      if (Option.isNone(args.output)) {
        // Read on a terminal, a message's escape sequences would drive it (set the title, clear the
        // screen): shown escaped there, as `history` shows them; a pipe or a file gets the document as is.
        const out = PieceWriter.make(shown(output.isTTY ? (text) => output.stdout(Terminal.text(text)) : output.stdout))
        yield* write(format as Format<unknown>, args.thread, args.codexHome, out.put)
        return out.end("")
      }
      const file = args.output.value
      const writer = fileWriter(file)
      const out = PieceWriter.make(shown(writer.write))
      const turns = yield* write(format as Format<unknown>, args.thread, args.codexHome, out.put).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            out.end("")
            writer.finish()
          })
        ),
        Effect.ensuring(Effect.sync(writer.close))
      )
      output.stderr(`wrote ${file} (${turns} turns, ${writer.bytes()} bytes)\n`)
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

/**
 * `rollout trim THREAD [--write | --replace] [--json]`: a thread cut down to what resuming it needs
 * (`@rollout/query/TrimWrite`). Without a write flag it only says how much would be freed.
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as Json from "@rollout/protocol/Json"
import * as TrimWrite from "@rollout/query/TrimWrite"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import * as Flags from "./Flags.js"
import * as ByteSize from "@rollout/view/ByteSize"
import { Output, withDiagnostics } from "./Output.js"

const write = Flag.Boolean("write").pipe(
  Flag.withDescription(
    "Save the trimmed thread as a new thread in the Codex home (sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl): a new id, forked_from_id the original, which is not modified."
  ),
  Flag.withDefault(false)
)

const replace = Flag.Boolean("replace").pipe(
  Flag.withDescription(
    "Trim the thread in place instead: it keeps its id and path (so Codex resumes it by the same id), and the original's bytes stay beside it as <path>.before-trim-<ms> (a hard link made before the atomic rename; Codex does not list it). Refused if the file grows meanwhile."
  ),
  Flag.withDefault(false)
)

const share = (before: number, after: number) => (before === 0 ? "0" : ((100 * (before - after)) / before).toFixed(1))

export const command = Command.make(
  "trim",
  { thread: Flags.thread, write, replace, codexVersion: Flags.codexVersion, json: Flags.json, codexHome: Flags.codexHome },
  (args) =>
    withDiagnostics(
      Effect.gen(function* () {
        const output = yield* Output
        if (!args.write && !args.replace) {
          const m = yield* TrimWrite.measure(args.thread, args.codexHome)
          if (args.json) {
            const freed = m.plan._tag === "Trimmed"
            output.stdout(
              `${Json.stringify({ sourceId: m.threadId, bytesBefore: m.bytesBefore, bytesAfter: m.bytesAfter, trimmable: freed, written: false })}\n`
            )
          } else if (m.plan._tag === "TooLong")
            output.stdout(
              `${m.threadId}: ${ByteSize.text(m.bytesBefore)}; cannot be trimmed: no compaction checkpoint settles its resume within its last ${ByteSize.text(m.plan.maxTailBytes)}\n`
            )
          else if (m.bytesAfter >= m.bytesBefore)
            // A thread with nothing to drop still gains its own session_meta, and a paginated fork its parent's history.
            output.stdout(
              `${m.threadId}: ${ByteSize.text(m.bytesBefore)}; trimming frees nothing: the trimmed thread would take ${ByteSize.text(m.bytesAfter)} (${ByteSize.text(m.bytesAfter - m.bytesBefore)} more).\nNothing written.\n`
            )
          else
            output.stdout(
              `${m.threadId}: ${ByteSize.text(m.bytesBefore)}, trimmed ${ByteSize.text(m.bytesAfter)}: would free ${ByteSize.text(m.bytesBefore - m.bytesAfter)} (${share(m.bytesBefore, m.bytesAfter)} %).\nNothing written: --write saves it as a new thread, --replace trims it in place.\n`
            )
          return
        }
        const w = yield* (args.replace ? TrimWrite.replace(args.thread, args.codexHome) : TrimWrite.save(args.thread, args.codexHome)).pipe(
          Effect.provideService(WriterVersion.Current, args.codexVersion)
        )
        const sourceId = w.sourceId
        if (args.json)
          output.stdout(
            `${Json.stringify({ threadId: w.threadId, path: w.path, bytesBefore: w.bytesBefore, bytesAfter: w.bytesAfter, sourceId, written: true, ...(w.backup === undefined ? {} : { backup: w.backup }) })}\n`
          )
        else {
          const sizes = `${ByteSize.text(w.bytesBefore)} -> ${ByteSize.text(w.bytesAfter)} (${share(w.bytesBefore, w.bytesAfter)} % freed)`
          output.stdout(
            w.backup === undefined
              ? `trimmed ${sourceId} into ${w.threadId}: ${sizes}\n${w.path}\n`
              : `trimmed ${w.threadId} in place: ${sizes}\n${w.path}\noriginal kept at ${w.backup}\n`
          )
        }
      })
    )
).pipe(
  Command.withShortDescription("Cut a thread down to what resuming it needs (--write saves it)"),
  Command.withDescription(
    [
      "Writes a thread that resumes exactly as THREAD does (the same model-visible history, previous turn settings, reference context and token usage, in our resume and in Codex's) without what no resume can reach.",
      "Dropped: every line before the turn that holds the newest compaction checkpoint surviving the rollbacks after it (older turns, superseded checkpoints and their images); in that turn, the lines before the checkpoint that resuming does not read (tool calls and outputs, reasoning, assistant messages, events) and inline images, replaced by '[image omitted by rollout trim]'; turns undone by a rollback, with the rollback; repeated identical token counts.",
      "So the visible transcript (rollout history, Codex's thread/read) of the trimmed thread keeps the checkpoint's turn (its user message, the compaction) and every turn after it; it loses the turns before, the tool calls and answers of the checkpoint's turn before the compaction, and rolled-back turns. Statistics of the trimmed thread count only what it kept.",
      "The thread is read from its end, only back to that checkpoint. Without --write or --replace nothing is written: it says how much would be freed. --json prints {threadId, path, bytesBefore, bytesAfter, sourceId, written} (and backup with --replace); a dry run prints {sourceId, bytesBefore, bytesAfter, trimmable, written: false}.",
      "A thread whose newest 64 MiB hold no checkpoint that settles the resume is not trimmed (exit 1 with --write). .jsonl.zst files are refused. A paginated thread is written in legacy history mode."
    ].join(" ")
  ),
  Command.withExamples([
    { command: "rollout trim 0198f2a4", description: "how much trimming would free" },
    { command: "rollout trim 0198f2a4 --write --json", description: "save the trimmed thread as a new thread" },
    { command: "rollout trim 0198f2a4 --replace", description: "trim it in place, keeping the original as a backup" }
  ])
)

/**
 * `rollout convert IN OUT`: a rollout between JSONL and the binary segment format (`.rseg`), in the
 * direction OUT's extension names; the round trip restores the exact original bytes. Prints one
 * summary line. It refuses to overwrite OUT without `--force`; exit 2 for usage errors and
 * unreadable input, 1 for input that was read but is damaged. The work is `SegmentConvert`'s.
 */
import { Effect } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Files from "@rollout/log/Files"
import * as SegmentConvert from "@rollout/log/SegmentConvert"
import { InvalidInput, UnreadableInput, UsageError } from "./CliFailure.js"
import { Output } from "./Output.js"

const input = Argument.String("IN").pipe(Argument.withDescription("The file to convert: a rollout (.jsonl or .jsonl.zst) or a segment (.rseg)."))
const output = Argument.String("OUT").pipe(
  Argument.withDescription("The file to write. Its extension sets the direction: .rseg makes a segment of a JSONL rollout, .jsonl restores a segment's JSONL.")
)
const force = Flag.Boolean("force").pipe(Flag.withDescription("Overwrite OUT if it exists."), Flag.withDefault(false))

export const ratio = (bytesIn: number, bytesOut: number): string => (bytesIn === 0 ? "n/a" : (bytesOut / bytesIn).toFixed(2))

export const command = Command.make("convert", { input, output, force }, (args) =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const out = yield* Output
    const result = yield* Effect.promise(() => SegmentConvert.convert(files, args.input, args.output, { force: args.force }))
    switch (result._tag) {
      case "Usage":
        return yield* new UsageError({ message: result.message })
      case "Unreadable":
        return yield* new UnreadableInput({ message: result.message })
      case "Invalid":
        return yield* new InvalidInput({ message: result.message })
      case "Converted":
        out.stdout(
          `${args.input} → ${args.output}: ${result.lines} line${result.lines === 1 ? "" : "s"}, ${result.bytesIn} bytes in, ${result.bytesOut} bytes out (ratio ${ratio(result.bytesIn, result.bytesOut)})\n`
        )
        return
      default: {
        const never: never = result
        return never
      }
    }
  })
).pipe(
  Command.withShortDescription("Convert between JSONL and binary segments (.rseg)"),
  Command.withDescription(
    "Convert a rollout between JSONL and the binary segment format (.rseg, faster to read; every command accepts it). The direction comes from OUT's extension; the round trip restores the exact original bytes (JSONL → segment is verified before OUT is written). Prints: lines, bytes in, bytes out, ratio."
  ),
  Command.withExamples([
    { command: "rollout convert rollout-2026-07-14T09-05-33-<id>.jsonl rollout-2026-07-14T09-05-33-<id>.rseg", description: "make a segment" },
    { command: "rollout convert session.rseg session.jsonl --force", description: "restore the JSONL, overwriting" }
  ])
)

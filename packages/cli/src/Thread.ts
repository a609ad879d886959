/**
 * The `THREAD` argument and reading a thread's lines: a thread id is looked up under the Codex
 * home, anything else is a path. Lines that cannot be read or typed are reported on stderr as
 * `path:line: kind: message` and skipped; the command goes on with the rest.
 */
import { Effect } from "effect"
import { Argument } from "effect/cli"
import * as CodexHome from "@rollout/log/CodexHome"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import { UnreadableInput } from "./CliFailure.js"
import { Output } from "./Output.js"

export const argument = Argument.String("THREAD").pipe(
  Argument.withDescription("A thread id (looked up under --codex-home) or the path of a rollout file.")
)

/** The rollout files of a thread, oldest segment first. */
export const resolve = (arg: string, home: string): Effect.Effect<ReadonlyArray<string>, UnreadableInput, Files.Files> =>
  Effect.gen(function* () {
    const files = yield* Files.Files
    const expanded = yield* Effect.promise(() => CodexHome.expand(files, arg, home))
    if (expanded._tag === "NotFound") return yield* new UnreadableInput({ message: expanded.message })
    return expanded.paths
  })

/** Every typed line of the thread, in order; problems go to stderr. */
export const lines = (arg: string, home: string): Effect.Effect<Array<RolloutLine.RolloutLine>, UnreadableInput, Files.Files | Output> =>
  Effect.gen(function* () {
    const paths = yield* resolve(arg, home)
    const files = yield* Files.Files
    const output = yield* Output
    const out: Array<RolloutLine.RolloutLine> = []
    let unreadable: string | undefined
    for (const path of paths) {
      yield* Effect.promise(async () => {
        for await (const line of RolloutCodec.knownLines(files, path, (p) => {
          if ("_tag" in p) {
            if (p.kind === "read_error") unreadable = p.message
            output.stderr(`${p.path}:${p.line}: ${p.kind}: ${p.message}\n`)
          } else if (p.decoded._tag === "Invalid") {
            output.stderr(`${path}:${p.line}: invalid_payload: ${p.decoded.what}: ${p.decoded.message.replace(/\s*\n\s*/g, "; ")}\n`)
          }
        }))
          out.push(line)
      })
    }
    if (unreadable !== undefined && out.length === 0) return yield* new UnreadableInput({ message: unreadable })
    return out
  })

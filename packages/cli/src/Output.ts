/**
 * Where the CLI writes: stdout for the command's result (one JSON document with `--json`),
 * stderr for diagnostics and progress, and the exit code the command settled on. A service so
 * that commands run the same in the real process (`bin.ts` passes the process streams) and in
 * tests (`Output.buffer()` collects text).
 */
import { Context, Effect, Layer } from "effect"
import * as Diagnostics from "@rollout/query/Diagnostics"
import * as DiagnosticCap from "./DiagnosticCap.js"

export interface Shape {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** Whether stdout is a terminal (human output may then use colour and progress bars). */
  readonly isTTY: boolean
  /** Whether stderr is a terminal: progress bars (`\r` redraws) are drawn only there, never into logs or pipes. */
  readonly stderrIsTTY: boolean
  /** Whether human output may be coloured: stdout is a terminal and the user did not ask for none (`NO_COLOR`). */
  readonly colors: boolean
  /** The terminal's size now (it may change between calls), or undefined when stdout is not a terminal. */
  readonly size: () => Size | undefined
  /** Raises the exit code (0 success, 1 invalid input or failed check, 2 usage or unreadable input). */
  readonly fail: (code: 1 | 2) => void
  readonly exitCode: () => number
}

export interface Size {
  readonly columns: number
  readonly rows: number
}

export class Output extends Context.Service<Output, Shape>()("@rollout/cli/Output") {}

export const make = (
  stdout: (text: string) => void,
  stderr: (text: string) => void,
  isTTY: boolean,
  stderrIsTTY = false,
  size: () => Size | undefined = () => undefined,
  colors = isTTY
): Shape => {
  let code = 0
  return {
    stdout,
    stderr,
    isTTY,
    stderrIsTTY,
    colors,
    size,
    fail: (c) => {
      code = Math.max(code, c)
    },
    exitCode: () => code
  }
}

/** An output that collects what is written, for tests. */
export const buffer = (): Shape & { readonly out: () => string; readonly err: () => string } => {
  let out = ""
  let err = ""
  const shape = make(
    (t) => {
      out += t
    },
    (t) => {
      err += t
    },
    false
  )
  return { ...shape, out: () => out, err: () => err }
}

export const layer = (shape: Shape): Layer.Layer<Output> => Layer.succeed(Output, shape)

/** Whether a command may draw a progress bar: stderr is a terminal and `--quiet` was not given. */
export const showsProgress = (output: Shape, quiet: boolean): boolean => output.stderrIsTTY && !quiet

/** Runs a read-side effect with the problems it steps over reported on stderr, the first few of them (`DiagnosticCap`). */
export const withDiagnostics = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, Exclude<R, Diagnostics.Diagnostics> | Output> =>
  Effect.gen(function* () {
    const output = yield* Output
    const cap = DiagnosticCap.make(output.stderr, "rollout")
    return yield* Effect.provideService(effect, Diagnostics.Diagnostics, { report: cap.report }).pipe(Effect.ensuring(Effect.sync(cap.end)))
  })

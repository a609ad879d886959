/**
 * Where the read side reports the problems it meets and steps over (a line that cannot be read or
 * typed, as `path:line: kind: message`). A service because the answer goes on regardless: the CLI
 * sends these to stderr, a server to its log, a test to a buffer. It is not for results.
 */
import { Context, Layer } from "effect"

export interface Shape {
  readonly report: (text: string) => void
}

export class Diagnostics extends Context.Service<Diagnostics, Shape>()("@rollout/query/Diagnostics") {}

export const layer = (report: (text: string) => void): Layer.Layer<Diagnostics> => Layer.succeed(Diagnostics, { report })

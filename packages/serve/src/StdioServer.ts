/**
 * `rollout serve --stdio`: the dispatcher over standard input and output, one JSON message per
 * line each way, as `codex app-server` speaks on stdio. Only protocol messages go to the output;
 * anything else is reported on the error stream. Resolves when the input ends and every answer
 * has been written.
 */
import * as Readline from "node:readline"
import type { Readable } from "node:stream"
import * as Dispatcher from "./Dispatcher.js"

export interface Streams {
  readonly input: Readable
  readonly output: { readonly write: (text: string) => void }
  readonly error: (text: string) => void
}

export const run = async (options: Dispatcher.Options, streams: Streams): Promise<void> => {
  const connection = Dispatcher.make({ ...options, report: streams.error })((message) => {
    streams.output.write(`${JSON.stringify(message)}\n`)
  })
  let last: Promise<void> = Promise.resolve()
  const lines = Readline.createInterface({ input: streams.input, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of lines) {
    if (line.trim() === "") continue
    last = connection.receive(line)
  }
  await last
}

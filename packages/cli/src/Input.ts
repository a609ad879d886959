/**
 * Where the CLI reads key presses from, for interactive commands (`replay --step`): a sequence of
 * key names ("n", "N", "right", "enter", "5", ...). A service so that the real process hands in its
 * terminal (`terminal(process.stdin)` in `bin.ts`, raw mode while keys are read) and tests hand in
 * a script (`scripted([...])`). Piped stdin works too: its bytes are decoded the same way. It is
 * not a line editor; commands that want a number collect digit keys themselves.
 */
import { Context, Layer } from "effect"

export interface Shape {
  /** Whether a person at a terminal is pressing the keys (the screen is then redrawn in place). */
  readonly interactive: boolean
  /** The key presses in order; the sequence ends when the input does. */
  readonly keys: () => AsyncIterable<string>
}

/** No input at all (commands that never read keys, and the default for `main`). */
export const none: Shape = {
  interactive: false,
  keys: async function* () {}
}

/** A reference with `none` as default, so that running the command tree never requires it. */
export const Input = Context.Reference<Shape>("Input.js", { defaultValue: () => none })

/** These keys, then the end of input. */
export const scripted = (keys: ReadonlyArray<string>): Shape => ({
  interactive: false,
  keys: async function* () {
    yield* keys
  }
})

const ESCAPES: ReadonlyArray<readonly [string, string]> = [
  ["\x1b[C", "right"],
  ["\x1b[D", "left"],
  ["\x1b[A", "up"],
  ["\x1b[B", "down"],
  ["\x1bOC", "right"],
  ["\x1bOD", "left"]
]

/** Terminal bytes (as text) to key names: arrows, enter, backspace, escape, ctrl-c, else the character. */
export const decode = (data: string): Array<string> => {
  const out: Array<string> = []
  let i = 0
  while (i < data.length) {
    const escape = ESCAPES.find(([seq]) => data.startsWith(seq, i))
    if (escape !== undefined) {
      out.push(escape[1])
      i += escape[0].length
      continue
    }
    const ch = data[i] as string
    i++
    if (ch === "\r" || ch === "\n") out.push("enter")
    else if (ch === "\x7f" || ch === "\b") out.push("backspace")
    else if (ch === "\x1b") out.push("escape")
    else if (ch === "\x03" || ch === "\x04") out.push("ctrl-c")
    else out.push(ch)
  }
  return out
}

/** The parts of a readable stream (`process.stdin`) the terminal input needs. */
export interface TerminalStream {
  readonly isTTY?: boolean
  setRawMode?(raw: boolean): unknown
  setEncoding(encoding: "utf8"): unknown
  on(event: "data", listener: (data: string) => void): unknown
  on(event: "end" | "close", listener: () => void): unknown
  off(event: "data", listener: (data: string) => void): unknown
  off(event: "end" | "close", listener: () => void): unknown
  resume(): unknown
  pause(): unknown
}

/**
 * Keys from a terminal (raw mode while they are read, restored after) or from piped bytes. The
 * stream is only touched when `keys()` is iterated, so commands without keys leave stdin alone.
 */
export const terminal = (stream: TerminalStream): Shape => ({
  interactive: stream.isTTY === true,
  keys: async function* () {
    const queue: Array<string> = []
    let ended = false
    let wake: (() => void) | undefined
    const onData = (data: string) => {
      for (const k of decode(data)) queue.push(k)
      wake?.()
    }
    const onEnd = () => {
      ended = true
      wake?.()
    }
    const raw = stream.isTTY === true && stream.setRawMode !== undefined
    if (raw) stream.setRawMode?.(true)
    stream.setEncoding("utf8")
    stream.on("data", onData)
    stream.on("end", onEnd)
    stream.on("close", onEnd)
    stream.resume()
    try {
      for (;;) {
        const key = queue.shift()
        if (key !== undefined) {
          yield key
          continue
        }
        if (ended) return
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = undefined
      }
    } finally {
      stream.off("data", onData)
      stream.off("end", onEnd)
      stream.off("close", onEnd)
      if (raw) stream.setRawMode?.(false)
      stream.pause()
    }
  }
})

export const layer = (shape: Shape): Layer.Layer<never> => Layer.succeed(Input, shape)

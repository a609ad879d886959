/**
 * What a tool's output text says about the command behind it. Codex writes the exit code and wall
 * time into the text the model reads, in one of three shapes: unified exec's header (`Process
 * exited with code N`, `Wall time: S seconds`, then `Output:`), the freeform shell header (`Exit
 * code: N`, `Wall time: …`, `Output:`), or the older JSON object (`{"output", "metadata":
 * {"exit_code", "duration_seconds"}}`). In a legacy rollout that text is the only record of them.
 */

export interface Parsed {
  /** The command's own output, without Codex's header. */
  readonly body: string
  readonly exitCode: number | null
  readonly durationMs: number | null
  /** Unified exec left the process running (a later `write_stdin` call reads on). */
  readonly running: boolean
}

const EXIT = /^(?:Process exited with code|Exit code:) (-?\d+)$/m
const WALL = /^Wall time: ([0-9.]+) seconds?$/m
const RUNNING = /^Process running with session ID \d+$/m
const HEADER_END = "Output:\n"

const seconds = (s: string | undefined): number | null => (s === undefined || !Number.isFinite(Number(s)) ? null : Math.round(Number(s) * 1000))

const fromJson = (text: string): Parsed | undefined => {
  if (!text.startsWith("{")) return undefined
  try {
    const o = JSON.parse(text) as { output?: unknown; metadata?: { exit_code?: unknown; duration_seconds?: unknown } }
    if (typeof o.output !== "string") return undefined
    const exit = o.metadata?.exit_code
    const secs = o.metadata?.duration_seconds
    return {
      body: o.output,
      exitCode: typeof exit === "number" ? exit : null,
      durationMs: typeof secs === "number" ? Math.round(secs * 1000) : null,
      running: false
    }
  } catch {
    return undefined
  }
}

/** The output text of a command tool, split into Codex's facts and the command's own output. */
export const parse = (text: string): Parsed => {
  const json = fromJson(text)
  if (json !== undefined) return json
  // The header is a few short lines; never look for it inside a long output.
  const end = text.slice(0, 1024).indexOf(HEADER_END)
  if (end < 0) return { body: text, exitCode: null, durationMs: null, running: false }
  const head = text.slice(0, end)
  const exit = EXIT.exec(head)
  return {
    body: text.slice(end + HEADER_END.length),
    exitCode: exit === null ? null : Number(exit[1]),
    durationMs: seconds(WALL.exec(head)?.[1]),
    running: RUNNING.test(head)
  }
}

// Typed rollout lines for the reducer tests: decoding (a test line must be a known one), reading a
// fixture file the way Codex's loader does, and builders of the lines a turn is written as, each
// stamped one second after the previous one.
import { readFileSync } from "node:fs"
import * as RolloutLine from "@rollout/protocol/RolloutLine"

/** The typed line of `json`; throws if it is not a known line. */
export const decode = (json: unknown): RolloutLine.RolloutLine => {
  const d = RolloutLine.decode(json)
  if (d._tag !== "Known") throw new Error(`not a known line: ${JSON.stringify(d)}`)
  return d.line
}

/** Typed lines of a file, skipping what Codex's loader skips. */
export const readLines = (path: string): Array<RolloutLine.RolloutLine> =>
  readFileSync(path, "utf8")
    .split("\n")
    .flatMap((text) => {
      if (text.trim() === "") return []
      try {
        const d = RolloutLine.decode(JSON.parse(text))
        return d._tag === "Known" ? [d.line] : []
      } catch {
        return []
      }
    })

let clock = 0
/** The next timestamp: one second after the previous one. */
export const at = (): string => RolloutLine.timestamp(Date.UTC(2026, 0, 1) + clock++ * 1000)
export const item = (payload: object) => decode({ timestamp: at(), type: "response_item", payload })
export const ev = (payload: object) => decode({ timestamp: at(), type: "event_msg", payload })
export const msg = (role: string, text: string) => ({ type: "message", role, content: [{ type: role === "assistant" ? "output_text" : "input_text", text }] })
export const user = (text: string) => item(msg("user", text))
export const assistant = (text: string) => item(msg("assistant", text))
export const envContext = () => user("<environment_context>\n  <cwd>/w</cwd>\n</environment_context>")
export const started = (id: string) => ev({ type: "task_started", turn_id: id, model_context_window: null, collaboration_mode_kind: "default" })
export const complete = (id: string) => ev({ type: "task_complete", turn_id: id, last_agent_message: null })
export const aborted = (id: string) => ev({ type: "turn_aborted", turn_id: id, reason: "interrupted" })
export const userEvent = (text: string) => ev({ type: "user_message", message: text, images: [], local_images: [], text_elements: [] })
export const compacted = (message: string, replacement?: ReadonlyArray<object>) =>
  decode({ timestamp: at(), type: "compacted", payload: replacement === undefined ? { message } : { message, replacement_history: replacement } })
export const rolledBack = (n: number) => ev({ type: "thread_rolled_back", num_turns: n })
export const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: n + 1 })
export const tokenCount = (n: number | null) =>
  ev({
    type: "token_count",
    info: n === null ? null : { total_token_usage: usage(n), last_token_usage: usage(n), model_context_window: 1000 },
    rate_limits: null
  })

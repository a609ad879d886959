// The Codex home the web app's browser tests serve: the sample home's recorded threads (a fork
// and its parent among them), a thread that does work over 60 turns (commands, outputs, patches,
// token counts; more than two pages of turns), a hostile thread whose messages, answer and name
// carry markup and script, and enough small threads that the list needs more than one page.
import * as fs from "node:fs"
import * as path from "node:path"
import * as HostileHome from "./HostileHome.js"
import * as WorkThread from "./WorkThread.js"

export const HOSTILE = HostileHome.idOf(9000)
export const WORK = WorkThread.THREAD_ID
export const SMALL = 70

const HOSTILE_TEXT = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> hostile widget`

export const make = (root: string): string => {
  const { home } = HostileHome.many(SMALL)
  fs.cpSync(path.join(root, "rollouts/sessions"), path.join(home, "sessions"), { recursive: true })
  const day = path.join(home, "sessions/2026/07/14")
  fs.mkdirSync(day, { recursive: true })
  WorkThread.write(path.join(day, `rollout-2026-07-14T07-06-00-${WORK}.jsonl`), 60, 8)
  HostileHome.write(home, {
    i: 9000,
    dir: "2026/07/15",
    message: HOSTILE_TEXT,
    answer: `Try [this link](javascript:window.__pwned=3) and <a href="javascript:window.__pwned=4">that</a>.\n\n<script>window.__pwned = 5</script>\n\n<iframe src="https://example.com"></iframe>`
  })
  fs.appendFileSync(
    path.join(home, "session_index.jsonl"),
    `${JSON.stringify({ id: HOSTILE, thread_name: `<img src=x onerror="window.__pwned=6">named`, updated_at: "2026-07-15T00:00:00Z" })}\n`
  )
  return home
}

/** Appends one finished turn to the work thread, as Codex would while it runs. */
export const growWork = (home: string, message: string): void => {
  const file = path.join(home, `sessions/2026/07/14/rollout-2026-07-14T07-06-00-${WORK}.jsonl`)
  const at = new Date().toISOString()
  const line = (type: string, payload: object) => JSON.stringify({ timestamp: at, type, payload })
  const lines = [
    line("event_msg", { type: "task_started", turn_id: "turn-live", model_context_window: 258400 }),
    line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: message }] }),
    line("event_msg", { type: "user_message", message, local_images: [], local_audio: [], text_elements: [] }),
    line("event_msg", { type: "agent_message", message: `answered: ${message}`, memory_citation: null }),
    line("event_msg", { type: "task_complete", turn_id: "turn-live", last_agent_message: null })
  ]
  fs.appendFileSync(file, `${lines.join("\n")}\n`)
}

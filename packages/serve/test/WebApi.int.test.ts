// The web API on a thread whose messages are longer than a page should carry: the turns page cuts
// each to its head (never inside a surrogate pair), says how long the whole is and where to fetch
// it, and that address answers the whole text as UTF-8 plain text; an address of no text is 404.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Store from "@rollout/store/Store"
import type * as Api from "@rollout/web/Api"
import { afterAll, describe, expect, it } from "vitest"
import * as WebApi from "../src/WebApi.js"
import * as LongText from "../src/internal/LongText.js"

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "serve-webapi-"))
const home = path.join(scratch, "home")
const id = "0198f2a4-0000-7000-8000-000000000001"
const t = "2026-06-01T00:01:00.000Z"
// A surrogate pair straddles the limit: the head must stop before it.
const asked = `${"a".repeat(LongText.LIMIT - 1)}😀${"é ✓ \u202e\n".repeat(20_000)}`
const answer = `${"b".repeat(LongText.LIMIT)}${"😀".repeat(10_000)}`
const lines = [
  {
    type: "session_meta",
    payload: { id, timestamp: t, cwd: "/w", originator: "codex_cli_rs", cli_version: "0.169.0", source: "cli", model_provider: "openai" }
  },
  { type: "event_msg", payload: { type: "task_started", turn_id: "t1", model_context_window: null } },
  { type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: asked }] } },
  { type: "event_msg", payload: { type: "user_message", message: asked, local_images: [], text_elements: [] } },
  { type: "event_msg", payload: { type: "agent_message", message: answer } },
  { type: "event_msg", payload: { type: "task_complete", turn_id: "t1", last_agent_message: null } }
]
fs.mkdirSync(path.join(home, "sessions/2026/06/01"), { recursive: true })
fs.writeFileSync(
  path.join(home, `sessions/2026/06/01/rollout-2026-06-01T00-01-00-${id}.jsonl`),
  `${lines.map((l) => JSON.stringify({ timestamp: t, ...l })).join("\n")}\n`
)
const store = Store.open({ home, path: path.join(scratch, "index.db") })
const web = WebApi.make({ home, store })

afterAll(() => {
  web.close()
  fs.rmSync(scratch, { recursive: true, force: true })
})

describe("WebApi's long texts", () => {
  it("cuts each long message on the turns page and answers it whole at its address", async () => {
    const r = await web.routes.request(`/api/threads/${id}/turns`)
    expect(r.status).toBe(200)
    const page = (await r.json()) as Api.TurnsPage
    const cuts = page.turns[0]?.cuts ?? []
    expect(cuts.map((c) => [c.length, c.bytes, c.shown])).toEqual([
      [asked.length, Buffer.byteLength(asked), LongText.LIMIT - 1],
      [answer.length, Buffer.byteLength(answer), LongText.LIMIT]
    ])
    expect(page.turns[0]?.html).toContain(`${"a".repeat(100)}\n… [cut here`)
    expect(page.turns[0]?.html).not.toContain("😀")
    const wholes = await Promise.all(
      cuts.map(async (c) => {
        const w = await web.routes.request(c.url ?? "")
        expect(w.headers.get("content-type")).toBe("text/plain; charset=utf-8")
        expect(Number(w.headers.get("content-length"))).toBe(c.bytes)
        return w.text()
      })
    )
    expect(wholes).toEqual([asked, answer])
    const download = await web.routes.request(`${cuts[0]?.url}&download=1`)
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="turn-1-part-\d+\.txt"$/)
  })

  it("answers 404 for a turn, part or field that holds no text, and 400 for a malformed number", async () => {
    const base = `/api/threads/${id}/turns`
    expect((await web.routes.request(`${base}/2/text?part=0&path=item%2Ftext`)).status).toBe(404)
    expect((await web.routes.request(`${base}/1/text?part=99&path=item%2Ftext`)).status).toBe(404)
    expect((await web.routes.request(`${base}/1/text?part=0&path=item`)).status).toBe(404)
    expect((await web.routes.request(`${base}/1/text?part=0&path=item%2F__proto__`)).status).toBe(404)
    expect((await web.routes.request(`${base}/x/text?part=0&path=item`)).status).toBe(400)
  })
})

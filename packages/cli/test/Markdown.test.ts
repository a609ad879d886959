// Shares its sample thread with Html.test.ts: one thread with a <script> in every text it renders.
import { describe, expect, it } from "vitest"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Markdown from "@rollout/cli/Markdown"

const none = { startedAtMs: null, completedAtMs: null }
const evil = '<script>alert("x")</script> & `code` ```'
const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

const thread = (items: ReadonlyArray<unknown>): ThreadItem.Thread =>
  ({
    id: "th-1", name: null, preview: `hello ${evil}`, createdAt: 1_784_000_000, cwd: "/p", model: "gpt-5.5", cliVersion: "0.169.0", originator: "codex_cli_rs",
    turns: [{ id: "t1", rootTurnId: null, items, itemsView: "full", status: "failed", error: { message: evil, codexErrorInfo: null, additionalDetails: null, misalignment: null }, startedAt: 1_784_000_000, completedAt: null, durationMs: 1500 }]
  }) as unknown as ThreadItem.Thread

const items = [
  { type: "userMessage", id: "u", clientId: null, content: [{ type: "text", text: evil, text_elements: [] }, { type: "image", url: `data:image/png;base64,${png}`, detail: null }, { type: "image", url: "https://example.com/x.png", detail: "auto" }], ...none },
  { type: "agentMessage", moderation: null, id: "a", text: evil, phase: null, memoryCitation: null, delivery: null, questions: null, ...none },
  { type: "commandExecution", id: "c", pluginId: null, scriptPath: null, command: "echo '<b>'", cwd: "/p", processId: null, source: "agent", status: "completed", commandActions: [], aggregatedOutput: `${evil}\n`, exitCode: 0, durationMs: 3, ...none },
  { type: "imageGeneration", id: "g", status: "completed", revisedPrompt: "a cat", result: png, transparentBackground: null, ...none }
]

describe("Markdown.render", () => {
  const md = Markdown.render(thread(items))

  it("has a title, the thread's facts and one section per turn", () => {
    expect(md.startsWith("# hello &lt;script&gt;")).toBe(true)
    expect(md).toContain("- Thread: `th-1`")
    expect(md).toMatch(/^## Turn 1 — failed · 2026-/m)
  })

  it("escapes HTML in messages and keeps tool output inside a longer fence", () => {
    // Inside a code fence it is shown as code; everywhere else it is escaped.
    const outsideFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")
    expect(outsideFences).not.toContain("<script>")
    expect(md).toContain("````\n<script>alert(\"x\")</script> & `code` ```\n````")
    expect(md).toContain("> &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; `code` ```")
    expect(md).toContain("**Assistant**\n\n&lt;script&gt;")
    expect(md).toContain("<details><summary>$ echo '&lt;b&gt;' (exit 0) [completed]</summary>\n\n````\n")
    expect(md).toContain(`![image](data:image/png;base64,${png})`)
  })

  it("fences any text so no backtick run closes it early", () => {
    expect(Markdown.fence("a ``` b ```` c")).toBe("`````\na ``` b ```` c\n`````")
  })
})

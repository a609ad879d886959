import { describe, expect, it } from "vitest"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Html from "@rollout/cli/Html"

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

describe("Html.render", () => {
  const html = Html.render(thread(items))

  it("is one self-contained page: inline CSS, no script, no external asset", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).toContain("<style>")
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link|src="http|href="http/i)
    expect(html).toContain("default-src 'none'")
  })

  it("escapes every text from the rollout", () => {
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; `code`")
    expect(html).toContain("echo &#39;&lt;b&gt;&#39;")
    expect(html).not.toContain("<b>")
  })

  it("embeds data images, not remote ones, and folds tool output", () => {
    expect(html).toContain(`<img alt="image" src="data:image/png;base64,${png}">`)
    expect(html).toContain(`<img alt="generated image" src="data:image/png;base64,${png}">`)
    expect(html).toContain("[image: https://example.com/x.png]")
    expect(html).toMatch(/<details class="tool"><summary>\$ echo &#39;&lt;b&gt;&#39; \(exit 0\) \[completed\]<\/summary><pre>/)
    expect(html).toContain('<section class="turn status-failed" id="turn-1">')
    expect(html).toContain('<p class="error">Error: &lt;script&gt;')
  })

  it("refuses a data URL that could carry markup", () => {
    expect(Html.dataImage('data:image/svg+xml;base64,AAA" onerror="x')).toBeUndefined()
    expect(Html.dataImage("data:text/html;base64,AAAA")).toBeUndefined()
  })
})

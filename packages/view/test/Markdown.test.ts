import { describe, expect, it } from "vitest"
import * as Markdown from "@rollout/view/Markdown"
import { png, thread } from "./support/SampleThread.js"

describe("Markdown.render", () => {
  const md = Markdown.render(thread)

  it("has a title, the thread's facts and one section per turn", () => {
    expect(md.startsWith("# hello &lt;script&gt;")).toBe(true)
    expect(md).toContain("- Thread: `th-1`")
    expect(md).toMatch(/^## Turn 1 — failed · \w{3}, \d{1,2} \w{3} 2026, \d\d:\d\d:\d\d /m)
  })

  it("escapes HTML in messages and keeps tool output inside a longer fence", () => {
    // Inside a code fence it is shown as code; everywhere else it is escaped.
    const outsideFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "")
    expect(outsideFences).not.toContain("<script>")
    expect(md).toContain('````text\n<script>alert("x")</script> & `code` ```\n````')
    expect(md).toContain('> &lt;script&gt;alert("x")&lt;/script&gt; &amp; `code` ```')
    expect(md).toContain("**Assistant**\n\n&lt;script&gt;")
    expect(md).toContain("<details><summary><code>$ echo &#39;&lt;b&gt;&#39;</code> · exit 0 · 0 s</summary>\n\n````text\n")
    expect(md).toContain(`![image](data:image/png;base64,${png})`)
  })

  it("embeds only a well-formed data image: a URL that would close the link stays escaped text", () => {
    const url = "data:image/png;base64,AAAA) <img src=x onerror=alert(1)>"
    const turns = [
      {
        ...thread.turns[0]!,
        items: [{ type: "userMessage", id: "u", clientId: null, content: [{ type: "image", url, detail: null }], startedAtMs: null, completedAtMs: null }]
      }
    ]
    const doc = Markdown.render({ ...thread, turns } as typeof thread)
    expect(doc).not.toContain("<img")
    expect(doc).toContain("> [image: data:image/png;base64,AAAA) &lt;img src=x onerror=alert(1)&gt;]")
  })

  it("keeps only http, https, mailto and data-image links live: javascript: and other schemes become inert text", () => {
    const text = "[ok](https://example.com) [bad](javascript:alert(1)) ![i](JAVASCRIPT:x) [m](mailto:a@b.c)\n[ref]: vbscript:x\n[f]( file:///etc/passwd)"
    const turns = [
      { ...thread.turns[0]!, items: [{ type: "agentMessage", id: "a", text, phase: null, memoryCitation: null }] }
    ] as unknown as typeof thread.turns
    const doc = Markdown.render({ ...thread, turns } as typeof thread)
    expect(doc).toContain(
      "[ok](https://example.com) [bad]\\(javascript:alert(1)) ![i]\\(JAVASCRIPT:x) [m](mailto:a@b.c)\n\\[ref]: vbscript:x\n[f]\\( file:///etc/passwd)"
    )
    // No link target left in the document has a scheme outside the safe list.
    for (const m of doc.matchAll(/\]\(\s*([^\s)]*)/g)) expect(m[1]).toMatch(/^(https?:|mailto:|data:image\/png;base64,)/)
  })

  it("fences any text so no backtick run closes it early", () => {
    expect(Markdown.fence("a ``` b ```` c")).toBe("`````\na ``` b ```` c\n`````")
  })
})

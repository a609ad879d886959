import { describe, expect, it } from "vitest"
import * as Html from "@rollout/view/Html"
import { png, thread } from "./support/SampleThread.js"

describe("Html.render", () => {
  const html = Html.render(thread)

  it("is one self-contained page: inline CSS, no script, no external asset", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).toContain("<style>")
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link|src="http|href="http/i)
    expect(html).toContain("default-src 'none'")
    // The one stylesheet is allowed by its hash; no inline style or script is.
    expect(html).toContain(`style-src 'sha256-`)
    expect(html).not.toContain("unsafe-inline")
    expect(html).not.toMatch(/ style="/)
  })

  it("escapes every text from the rollout", () => {
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; `code`")
    // The command is highlighted as shell; its quotes and markup stay entities.
    expect(html).toMatch(/echo<\/span> <span class="hljs-string">&#x27;&lt;b&gt;&#x27;<\/span>/)
    expect(html).not.toContain("<b>")
  })

  it("embeds data images, not remote ones, and folds tool output", () => {
    expect(html).toContain(`<img alt="image" src="data:image/png;base64,${png}">`)
    expect(html).toContain(`<img alt="generated image" src="data:image/png;base64,${png}">`)
    expect(html).toContain("[image: https://example.com/x.png]")
    expect(html).toMatch(
      /<details class="work cmd"><summary><span class="prompt">\$<\/span><code class="hljs cmdline">.*<span class="badge ok">exit 0<\/span>.*<\/summary><pre class="out">/
    )
    expect(html).toContain('<section class="turn status-failed" id="turn-1">')
    expect(html).toContain('<p class="error">Error: &lt;script&gt;')
  })

  it("refuses a data URL that could carry markup", () => {
    expect(Html.dataImage('data:image/svg+xml;base64,AAA" onerror="x')).toBeUndefined()
    expect(Html.dataImage("data:text/html;base64,AAAA")).toBeUndefined()
  })
})

describe("Html.render of Markdown", () => {
  const withText = (text: string) =>
    Html.render({
      ...thread,
      turns: [{ ...thread.turns[0]!, items: [{ type: "agentMessage", id: "a", text, phase: null, memoryCitation: null }] }]
    } as unknown as typeof thread)

  it("renders emphasis, lists and highlighted fences; raw HTML stays text", () => {
    const html = withText("**bold** <b>raw</b>\n\n- one\n\n```ts\nconst x = 1\n```")
    expect(html).toContain("<strong>bold</strong> &lt;b&gt;raw&lt;/b&gt;")
    expect(html).toContain("<li>one</li>")
    expect(html).toContain('<pre class="code"><code class="hljs"><span class="hljs-keyword">const</span>')
  })

  it("links only safe schemes, never a bare file name, and embeds no remote image", () => {
    const html = withText("[a](https://example.com) [b](javascript:alert(1)) wrote notes.md ![i](https://example.com/i.png)")
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">a</a>')
    expect(html).not.toMatch(/href="javascript|href="http:\/\/notes\.md|<img[^>]+https/)
    expect(html).toContain("[image: i]")
  })
})

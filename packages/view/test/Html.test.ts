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

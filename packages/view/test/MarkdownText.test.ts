import * as fc from "fast-check"
import MarkdownIt from "markdown-it"
import { describe, expect, it } from "vitest"
import * as MarkdownText from "../src/internal/MarkdownText.js"

// A permissive viewer: raw HTML passes through, as in many Markdown previewers.
const viewer = new MarkdownIt({ html: true })
const pieces = [
  "<script>x</script>",
  "<img src=x onerror=y>",
  "`",
  "``",
  "```",
  "~~~",
  "\n",
  "\\",
  "\\`",
  " ",
  "a",
  "=>",
  "[l](javascript:x)",
  "    ",
  "> ",
  "- ",
  "1. ",
  "<div>",
  "</div>",
  "\t"
]
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join(""))

describe("MarkdownText.escapeMarkdown", () => {
  it("given any text, then a viewer that passes raw HTML renders no element and no link from it", () => {
    fc.assert(
      fc.property(text, (t) => {
        const html = viewer.render(MarkdownText.escapeMarkdown(t))
        expect(html).not.toMatch(/<script|<img|href="javascript/i)
      }),
      { numRuns: 5000 }
    )
  })

  it("given code, then fences stay as written, the prose around them is escaped and an open fence is closed", () => {
    expect(MarkdownText.escapeMarkdown("a <b>\n```ts\nx => <y>\n```\n`<i>` end")).toBe("a &lt;b&gt;\n```ts\nx => <y>\n```\n`&lt;i&gt;` end")
    expect(MarkdownText.escapeMarkdown("```\nopen <b>")).toBe("```\nopen <b>\n```")
  })
})

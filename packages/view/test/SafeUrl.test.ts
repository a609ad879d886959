import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as SafeUrl from "../src/internal/SafeUrl.js"

describe("SafeUrl", () => {
  it("keeps http, https, mailto, relative references and base64 images", () => {
    for (const url of ["https://example.com/a?b#c", "http://x", "MAILTO:a@b.c", "docs/readme.md", "#top", "/a:b", "data:image/png;base64,iVBORw0KGgo="])
      expect(SafeUrl.isSafe(url), url).toBe(true)
  })

  it("refuses every other scheme, however it is spelt", () => {
    for (const url of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      " javascript:x",
      "javascript&#58;x",
      "&#106;avascript:x",
      "vbscript:x",
      "file:///etc/passwd",
      "data:text/html,<script>",
      "data:image/svg+xml,<svg onload=x>"
    ])
      expect(SafeUrl.isSafe(url), url).toBe(false)
  })

  it("no URL with a scheme outside the safe list is safe (property)", () => {
    const scheme = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,10}$/).filter((s) => !["http", "https", "mailto", "data"].includes(s))
    fc.assert(
      fc.property(scheme, fc.string(), (s, rest) => {
        expect(SafeUrl.isSafe(`${s}:${rest}`)).toBe(false)
      })
    )
  })
})

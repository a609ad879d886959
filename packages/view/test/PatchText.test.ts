import { describe, expect, it } from "vitest"
import * as PatchText from "../src/internal/PatchText.js"

describe("PatchText", () => {
  it("turns an apply_patch input into a unified diff", () => {
    const patch = "*** Begin Patch\n*** Update File: a.ts\n*** Move to: b.ts\n@@\n-x\n+y\n*** Add File: c.md\n+# C\n*** End Patch\n"
    expect(PatchText.fromPatch(patch)).toBe("--- a/a.ts\n+++ b/b.ts\n@@\n-x\n+y\n--- /dev/null\n+++ b/c.md\n+# C\n")
    expect(PatchText.paths(patch)).toEqual(["a.ts", "c.md"])
    expect(PatchText.ofChange("add", "# Notes\nmore\n")).toBe("+# Notes\n+more")
  })
})

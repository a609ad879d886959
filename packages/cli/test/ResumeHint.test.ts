import { spawnSync } from "node:child_process"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as ResumeHint from "../src/ResumeHint.js"

describe("ResumeHint", () => {
  it("cds to the thread's folder, then resumes it; plain words stay plain", () => {
    expect(ResumeHint.line("0198f2a4-5b6c", "/home/ana/proj")).toBe("cd /home/ana/proj && codex resume 0198f2a4-5b6c")
    expect(ResumeHint.line("0198f2a4-5b6c", null)).toBe("codex resume 0198f2a4-5b6c")
    expect(ResumeHint.line("id", "/home/ana/my proj")).toBe("cd '/home/ana/my proj' && codex resume id")
    expect(ResumeHint.line("id", "/tmp/it's")).toBe("cd '/tmp/it'\\''s' && codex resume id")
  })

  it("quotes any folder so that a POSIX shell reads it back unchanged", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes("\u0000")),
        (dir) => {
          const r = spawnSync("sh", ["-c", `printf %s ${ResumeHint.quote(dir)}`], { encoding: "utf8" })
          expect(r.stdout).toBe(dir)
        }
      ),
      { numRuns: 50 }
    )
  })
})

import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"

const hasZstd = spawnSync("zstd", ["--version"]).status === 0

describe("RolloutReader on a .jsonl.zst decompression bomb", () => {
  it.skipIf(!hasZstd)(
    "stops at the expansion limit with a too_large diagnostic instead of inflating 1 GiB [needs the zstd command]",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zstd-bomb-"))
      try {
        const bomb = path.join(dir, "bomb.jsonl.zst")
        // 1 GiB of 1 MiB JSON lines, a few hundred KB compressed.
        const gen = path.join(dir, "gen.cjs")
        fs.writeFileSync(
          gen,
          `const l = JSON.stringify({ type: "event_msg", payload: { type: "agent_message", message: "x".repeat((1 << 20) - 60) } }) + "\\n"
for (let i = 0; i < 1024; i++) require("fs").writeSync(1, l)`
        )
        const z = spawnSync("sh", ["-c", `"${process.execPath}" "${gen}" | zstd -q -c > "${bomb}"`])
        expect(z.status, String(z.stderr)).toBe(0)
        expect(fs.statSync(bomb).size).toBeLessThan(RolloutReader.ZSTD_MIN_LIMIT / RolloutReader.ZSTD_MAX_RATIO)
        const started = Date.now()
        let lines = 0
        const diagnostics: Array<string> = []
        for await (const batch of RolloutReader.batches(Files.node, bomb))
          for (const e of batch) {
            if (e._tag === "Line") lines++
            else diagnostics.push(e.kind)
          }
        expect(diagnostics).toEqual(["too_large"])
        expect(lines).toBeGreaterThan(0)
        expect(lines).toBeLessThanOrEqual(RolloutReader.ZSTD_MIN_LIMIT / (1 << 20))
        expect(Date.now() - started).toBeLessThan(30_000)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
    120_000
  )
})

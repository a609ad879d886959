import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as RolloutReader from "@rollout/log/RolloutReader"
import * as SegmentConvert from "@rollout/log/SegmentConvert"
import { bomb } from "./support/ZstdBomb.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zstd-bomb-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** 1 GiB of 1 MiB JSON lines in about 100 KB. */
const bombFile = (name: string): string => {
  const p = path.join(dir, name)
  fs.writeFileSync(p, bomb(1024))
  expect(fs.statSync(p).size).toBeLessThan(RolloutReader.ZSTD_MIN_LIMIT / RolloutReader.ZSTD_MAX_RATIO)
  return p
}

describe("a .jsonl.zst decompression bomb", () => {
  it("the reader stops at the expansion limit with a too_large diagnostic instead of inflating 1 GiB", async () => {
    const started = Date.now()
    let lines = 0
    const diagnostics: Array<string> = []
    for await (const batch of RolloutReader.batches(Files.node, bombFile("bomb.jsonl.zst")))
      for (const e of batch) {
        if (e._tag === "Line") lines++
        else diagnostics.push(e.kind)
      }
    expect(diagnostics).toEqual(["too_large"])
    expect(lines).toBeGreaterThan(0)
    expect(lines).toBeLessThanOrEqual(RolloutReader.ZSTD_MIN_LIMIT / (1 << 20))
    expect(Date.now() - started).toBeLessThan(30_000)
  }, 120_000)

  it("convert refuses it at the same limit, and writes nothing", async () => {
    const input = bombFile("convert.jsonl.zst")
    const output = path.join(dir, "convert.rseg")
    const r = await SegmentConvert.convert(Files.node, input, output)
    expect(r).toMatchObject({ _tag: "Invalid", message: expect.stringContaining(`expands past ${RolloutReader.ZSTD_MAX_RATIO} times its compressed size`) })
    expect(fs.readdirSync(dir).filter((n) => n.startsWith("convert.rseg"))).toEqual([])
  }, 120_000)
})

import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import * as RolloutWriter from "@rollout/log/RolloutWriter"

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rollout-writer-"))

describe("RolloutWriter", () => {
  it("given a new path, when lines are appended, then the file holds them in call order, one per line", async () => {
    const file = path.join(temp(), "sessions/2026/11/21/rollout.jsonl")
    const writer = await RolloutWriter.open(file)
    const pending = [writer.append(['{"a":1}']), writer.append(['{"b":2}', '{"c":3}']), writer.append([])]
    await Promise.all(pending)
    await writer.close()
    expect(fs.readFileSync(file, "utf8")).toBe('{"a":1}\n{"b":2}\n{"c":3}\n')
  })

  it("given an existing file, when reopened, then it only appends and never rewrites a byte", async () => {
    const file = path.join(temp(), "r.jsonl")
    fs.writeFileSync(file, '{"old":true}\n')
    const writer = await RolloutWriter.open(file, { durability: "none" })
    await writer.append(['{"new":true}'])
    await writer.close()
    expect(fs.readFileSync(file, "utf8")).toBe('{"old":true}\n{"new":true}\n')
  })

  it("given a torn last line, when reopened, then the fragment stays its own line and the new line is whole", async () => {
    const file = path.join(temp(), "r.jsonl")
    fs.writeFileSync(file, '{"ok":1}\n{"torn":')
    const writer = await RolloutWriter.open(file)
    await writer.append(['{"next":2}'])
    await writer.close()
    expect(fs.readFileSync(file, "utf8").split("\n")).toEqual(['{"ok":1}', '{"torn":', '{"next":2}', ""])
  })

  it("refuses text with a newline in it, and appends after close", async () => {
    const file = path.join(temp(), "r.jsonl")
    const writer = await RolloutWriter.open(file)
    await expect(writer.append(['{"a":\n1}'])).rejects.toBeInstanceOf(RolloutWriter.LineBreakInLine)
    await writer.append(['{"a":1}'])
    await writer.close()
    await expect(writer.append(['{"b":1}'])).rejects.toThrow(/closed/)
    expect(fs.readFileSync(file, "utf8")).toBe('{"a":1}\n')
  })
})

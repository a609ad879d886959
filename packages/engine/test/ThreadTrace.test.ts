import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as ThreadTrace from "@rollout/engine/ThreadTrace"

const dirs: Array<string> = []
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

const metadata = (threadId: string): ThreadTrace.Metadata => ({
  threadId,
  agentPath: "/root",
  agentRole: null,
  nickname: null,
  sessionSource: "exec",
  cwd: "/w",
  rolloutPath: null,
  model: "gpt-5.5",
  providerName: "openai"
})

describe("ThreadTrace", () => {
  it("invents UUIDv4-shaped ids that depend only on the key", () => {
    expect(ThreadTrace.uuidv4("a")).toBe(ThreadTrace.uuidv4("a"))
    expect(ThreadTrace.uuidv4("a")).not.toBe(ThreadTrace.uuidv4("b"))
    expect(ThreadTrace.uuidv4("a")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it("classifies tools by name and previews their input (§2.6.2)", () => {
    expect(ThreadTrace.toolKind("interrupt_agent")).toEqual({ type: "close_agent" })
    expect(ThreadTrace.toolKind("followup_task")).toEqual({ type: "assign_agent_task" })
    expect(ThreadTrace.toolKind("send_message")).toEqual({ type: "send_message" })
    expect(ThreadTrace.toolKind("sleep")).toEqual({ type: "other", name: "sleep" })
    expect(ThreadTrace.preview("é".repeat(160))).toBe("é".repeat(160))
    expect(ThreadTrace.preview("é".repeat(161))).toBe(`${"é".repeat(160)}...`)
  })

  it("never appends to an existing bundle: a thread traced twice gets a second one", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "thread-trace-"))
    dirs.push(root)
    const first = ThreadTrace.startRoot(root, () => 1, metadata("t1"))!
    ThreadTrace.ended(first)
    const second = ThreadTrace.startRoot(root, () => 2, metadata("t1"))!
    ThreadTrace.ended(second)
    expect(first.bundle.writer.dir).not.toBe(second.bundle.writer.dir)
    expect(fs.readdirSync(root)).toHaveLength(2)
    const events = fs.readFileSync(path.join(second.bundle.writer.dir, "trace.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).payload.type)
    expect(events).toEqual(["rollout_started", "thread_started", "thread_ended", "rollout_ended"])
  })

  it("is disabled (no handle) when the bundle cannot be created", () => {
    const file = path.join(os.tmpdir(), `thread-trace-file-${process.pid}`)
    fs.writeFileSync(file, "")
    try {
      expect(ThreadTrace.startRoot(file, () => 1, metadata("t2"))).toBeUndefined()
      expect(ThreadTrace.inference(undefined, "turn", "m", "p", {})).toBeUndefined()
    } finally {
      fs.rmSync(file)
    }
  })
})

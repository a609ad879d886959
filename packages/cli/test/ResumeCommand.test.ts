import * as fs from "node:fs"
import * as path from "node:path"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as ResumeRead from "@rollout/query/ResumeRead"
import * as Files from "@rollout/log/Files"
import * as RolloutCodec from "@rollout/log/RolloutCodec"
import * as Json from "@rollout/protocol/Json"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import * as ResumeHistory from "@rollout/reduce/ResumeHistory"

const FIXTURES = path.resolve(import.meta.dirname, "../../../fixtures/resume")
const cases = fs.readdirSync(FIXTURES).filter((c) => fs.existsSync(path.join(FIXTURES, c, "expected.json")))

const run = async (argv: ReadonlyArray<string>, files: Files.Shape = Files.node) => {
  const output = Output.buffer()
  const code = await main(argv, output, files)
  return { code, out: output.out(), err: output.err() }
}

const forwardFold = async (files: Files.Shape, file: string): Promise<ResumeHistory.Output> => {
  const lines: Array<RolloutLine.RolloutLine> = []
  for await (const line of RolloutCodec.knownLines(files, file)) lines.push(line)
  return ResumeHistory.finish(ResumeHistory.fold(lines))
}

const wire = (value: unknown): unknown => JSON.parse(Json.stringify(value))

describe("rollout resume: golden fixtures (fixtures/resume)", () => {
  it.each(cases)("%s", async (c) => {
    const input = path.join(FIXTURES, c, "input.jsonl")
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, c, "expected.json"), "utf8"))
    const r = await run(["resume", input, "--json"])
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toEqual(expected)
    // The backward read and the forward fold of the whole file agree.
    expect(wire(await forwardFold(Files.node, input))).toEqual(expected)
    // Read backward in small blocks, the answer is the same.
    const small = await ResumeRead.read(Files.node, [input], () => {}, { blockSize: 61 })
    expect(wire(small.output)).toEqual(expected)
  })

  const forks = cases.filter((c) => fs.existsSync(path.join(FIXTURES, c, "fork.json")))
  it.each(forks)("%s (fork)", async (c) => {
    const input = path.join(FIXTURES, c, "input.jsonl")
    for (const { beforeUserMessage, history } of JSON.parse(fs.readFileSync(path.join(FIXTURES, c, "fork.json"), "utf8"))) {
      const r = await run(["fork", input, "--before-user-message", String(beforeUserMessage), "--json"])
      expect(r.code, r.err).toBe(0)
      expect(JSON.parse(r.out)).toEqual({ history })
    }
  })

  const fixture = (c: string) => path.join(FIXTURES, c, "input.jsonl")

  it("given garbage just before the newest checkpoint, it is reported and skipped, the checkpoint honoured, older lines not read", async () => {
    const r = await run(["resume", fixture("garbage-line-before-checkpoint"), "--json"])
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/:byte \d+: invalid_json: not JSON/)
    expect(r.err).toMatch(/:byte \d+: not_an_object: /)
    const read = await ResumeRead.read(Files.node, [fixture("garbage-line-before-checkpoint")], () => {})
    // The turn after the checkpoint (7), the compaction turn (4) and the line that closed t1.
    expect(read.linesRead).toBe(12)
  })

  it("given a torn last line, reports it with its byte offset and resumes from the lines before", async () => {
    const r = await run(["resume", fixture("torn-last-line"), "--json"])
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/:byte \d+: truncated_line: the last line is cut off/)
  })

  it("given a BOM and no checkpoint, reads to the start, reports the BOM on line 1 and reads line 1", async () => {
    const r = await run(["resume", fixture("bom-first-line"), "--json"])
    expect(r.code).toBe(0)
    expect(r.err).toMatch(/:1: bom: /)
  })

  it("given a missing file, exits 2", async () => {
    const r = await run(["resume", "/nowhere/rollout.jsonl", "--json"])
    expect(r.code).toBe(2)
  })
})

describe("rollout resume: what Codex 0.169 sent after a resume (fixtures/oracle)", () => {
  const ORACLE = path.resolve(import.meta.dirname, "../../../fixtures/oracle")
  const resumed = fs.readdirSync(ORACLE).filter((c) => fs.existsSync(path.join(ORACLE, c, "resume-request.json")))
  it.each(resumed)("%s, read from the end", async (c) => {
    const request = JSON.parse(fs.readFileSync(path.join(ORACLE, c, "resume-request.json"), "utf8"))
    const lines = fs
      .readFileSync(path.join(ORACLE, c, "input.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
    const files = Files.memory({ "/h/rollout.jsonl": `${lines.slice(0, request.linesBeforeResume).join("\n")}\n` })
    const read = await ResumeRead.read(files, ["/h/rollout.jsonl"], () => {}, { blockSize: 4096 })
    const sent = (wire(read.output.history) as Array<Record<string, unknown>>).map(({ internal_chat_message_metadata_passthrough: _, ...rest }) => rest)
    expect(sent).toEqual(request.input.slice(1, -1))
  })
})

// ---------------------------------------------------------------------------------------------
// Property: backward reading of a damaged file = forward fold of the whole file

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()
const msg = (role: string, text: string) => ({ type: "message", role, content: [{ type: role === "assistant" ? "output_text" : "input_text", text }] })
const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: n + 1 })

type Op = "turn" | "aborted" | "checkpoint" | "midCheckpoint" | "legacy" | "rollback1" | "rollback3" | "tokens" | "nullTokens" | "garbage"
const op = fc.constantFrom<Op>(
  "turn",
  "turn",
  "turn",
  "aborted",
  "checkpoint",
  "midCheckpoint",
  "legacy",
  "rollback1",
  "rollback3",
  "tokens",
  "nullTokens",
  "garbage"
)

const render = (ops: ReadonlyArray<Op>): Array<string> => {
  let clock = 0
  const line = (type: string, payload: object) => JSON.stringify({ timestamp: at(clock++), type, payload })
  const ev = (payload: object) => line("event_msg", payload)
  const ctx = (id: string, model: string) =>
    line("turn_context", {
      turn_id: id,
      cwd: "/w",
      approval_policy: "never",
      sandbox_policy: { type: "danger-full-access" },
      model,
      comp_hash: `h-${model}`,
      summary: "none"
    })
  const out = [
    line("session_meta", { id: "01a1fb98-0000-7000-8000-000000000001", timestamp: at(0), cwd: "/w", originator: "t", cli_version: "0", source: "cli" })
  ]
  const users: Array<string> = []
  ops.forEach((o, i) => {
    const id = `t${i}`
    const userTurn = (model: string) => {
      users.push(`u${i}`)
      out.push(
        ev({ type: "task_started", turn_id: id, model_context_window: null }),
        ctx(id, model),
        line("response_item", msg("user", `u${i}`)),
        ev({ type: "user_message", message: `u${i}`, images: [] })
      )
    }
    const checkpoint = () => line("compacted", { message: "s", replacement_history: [...users.slice(-2).map((u) => msg("user", u)), msg("user", `S${i}`)] })
    switch (o) {
      case "turn":
        userTurn(`m${i % 3}`)
        return void out.push(line("response_item", msg("assistant", `a${i}`)), ev({ type: "task_complete", turn_id: id, last_agent_message: null }))
      case "aborted":
        userTurn("m9")
        return void out.push(ev({ type: "turn_aborted", turn_id: id, reason: "interrupted" }))
      case "checkpoint":
        return void out.push(
          ev({ type: "task_started", turn_id: id, model_context_window: null }),
          checkpoint(),
          ev({ type: "task_complete", turn_id: id, last_agent_message: null })
        )
      case "midCheckpoint":
        userTurn("m1")
        return void out.push(checkpoint(), ctx(id, "m2"), ev({ type: "task_complete", turn_id: id, last_agent_message: null }))
      case "legacy":
        return void out.push(line("compacted", { message: `legacy ${i}` }))
      case "rollback1":
        return void out.push(ev({ type: "thread_rolled_back", num_turns: 1 }))
      case "rollback3":
        return void out.push(ev({ type: "thread_rolled_back", num_turns: 3 }))
      case "tokens":
        return void out.push(
          ev({ type: "token_count", info: { total_token_usage: usage(i), last_token_usage: usage(i), model_context_window: null }, rate_limits: null })
        )
      case "nullTokens":
        return void out.push(ev({ type: "token_count", info: null, rate_limits: null }))
      case "garbage":
        return void out.push("{garbage", "[]", `{"timestamp":"${at(i)}","type":"mystery","payload":{}}`)
    }
  })
  return out
}

describe("ResumeRead", () => {
  it("given random valid turn sequences with damage, reading from the end equals the forward fold of the whole file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.boolean(), fc.boolean(), fc.integer({ min: 16, max: 512 }), async (ops, bom, torn, blockSize) => {
        const text = `${(bom ? "\uFEFF" : "") + render(ops).join("\n")}\n${torn ? '{"timestamp":"x","type":"resp' : ""}`
        const files = Files.memory({ "/h/rollout.jsonl": text })
        const read = await ResumeRead.read(files, ["/h/rollout.jsonl"], () => {}, { blockSize })
        expect(wire(read.output)).toEqual(wire(await forwardFold(files, "/h/rollout.jsonl")))
      }),
      { numRuns: 400 }
    )
  })

  it("given a thread in several files and a compressed one, reads the newest file from the end and the others forward", async () => {
    const lines = render(["turn", "checkpoint", "turn", "tokens", "turn"])
    const files = Files.memory({ "/h/a.jsonl": `${lines.slice(0, 8).join("\n")}\n`, "/h/b.jsonl": `${lines.slice(8).join("\n")}\n` })
    const whole = Files.memory({ "/h/all.jsonl": `${lines.join("\n")}\n` })
    const read = await ResumeRead.read(files, ["/h/a.jsonl", "/h/b.jsonl"], () => {})
    expect(wire(read.output)).toEqual(wire(await forwardFold(whole, "/h/all.jsonl")))
    expect(read.forward).toBe(false)
    const { read: _noSeek, ...forwardOnly } = files
    const fwd = await ResumeRead.read(forwardOnly, ["/h/a.jsonl", "/h/b.jsonl"], () => {})
    expect(fwd.forward).toBe(true)
    expect(wire(fwd.output)).toEqual(wire(read.output))
  })
})

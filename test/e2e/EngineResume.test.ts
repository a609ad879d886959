// `rollout run --resume THREAD PROMPT` end to end: the real bin starts a thread against the local
// scripted Responses server, then continues it by id prefix; the request the resumed turn sends is
// the first turn's history (as the file has it) plus the new message, the new turn is appended to
// the same file (one session_meta, token totals running on), `rollout history` / `rollout resume`
// read the result as expected, and `replay --verify` re-executes the resumed session identically.
// (Paginated threads are proven against Codex itself in oracle/ResumeRun.test.ts, paginated forks in
// oracle/ResumeForks.test.ts, whose recording the paginated-fork case here replays.)
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as Replay from "@rollout/engine/Replay"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Files from "@rollout/log/Files"
import * as Validation from "@rollout/log/Validation"
import { bin, root } from "./Bin.js"

interface Ran {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

/** The built bin, asynchronously (the scripted server answers from this process meanwhile). */
const rollout = (env: NodeJS.ProcessEnv, ...args: Array<string>) =>
  new Promise<Ran>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      resolve({ status: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr })
    )
  })

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const setup = async (turns: ReadonlyArray<ModelScript.Turn>) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-resume-"))
  const server = await ScriptedModelServer.start({ turns })
  cleanups.push(
    () => server.close(),
    () => fs.rmSync(home, { recursive: true, force: true })
  )
  const env = { OPENAI_API_KEY: "local", OPENAI_BASE_URL: server.baseUrl, CODEX_ROLLOUT_TRACE_ROOT: "" }
  const run = async (...args: Array<string>) => {
    const result = await rollout(env, ...args, "--codex-home", home)
    expect(result.stderr).toBe("")
    return result
  }
  return { home, server, env, run }
}

const usage = (input: number, output: number) => ({ inputTokens: input, outputTokens: output })

describe("rollout run --resume", () => {
  it("continues a thread the engine wrote: same file, history as sent, running token totals, replayable", async () => {
    const { home, server, run } = await setup([
      ModelScript.reply("Noted: 42.", { usage: usage(100, 10) }),
      ModelScript.reply("It is 42.", { usage: usage(130, 7) })
    ])
    const first = JSON.parse((await run("run", "Remember: the answer is 42", "--cwd", "/work/first", "--json")).stdout)
    expect(first.status).toBe("completed")
    const before = fs.readFileSync(first.path, "utf8")

    // By a unique id prefix; --cwd is a new thread's setting: the resumed one keeps its own.
    const ran = await run("run", "--resume", first.threadId.slice(0, 13), "What is the answer?", "--cwd", "/elsewhere", "--json")
    expect(ran.status).toBe(0)
    const second = JSON.parse(ran.stdout)
    expect(second).toMatchObject({ threadId: first.threadId, path: first.path, status: "completed", lastAgentMessage: "It is 42.", error: null })
    expect(server.problems).toEqual([])

    // The resumed request: the first request's input, the first answer as the file has it, the new message.
    const [one, two] = server.modelRequests.map((r) => r.body as { input: Array<Record<string, unknown>>; instructions: string })
    const written = before
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    const answer = written.find((l) => l.type === "response_item" && l.payload.role === "assistant").payload
    expect(answer.id).toBeDefined()
    expect(two!.input).toEqual([...one!.input, answer, { type: "message", role: "user", content: [{ type: "input_text", text: "What is the answer?" }] }])
    expect(two!.instructions).toBe(one!.instructions)

    // Appended to the same file: no second session_meta, the previous turn's settings, totals running on.
    const after = fs.readFileSync(first.path, "utf8")
    expect(after.startsWith(before)).toBe(true)
    const added = after
      .slice(before.length)
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    expect(added.map((l) => (l.type === "event_msg" || l.type === "response_item" ? `${l.type}/${l.payload.type}` : l.type))).toEqual([
      "event_msg/task_started",
      "turn_context",
      "response_item/message",
      "event_msg/user_message",
      "event_msg/agent_message",
      "response_item/message",
      "event_msg/token_count",
      "event_msg/task_complete"
    ])
    expect(added[1].payload).toMatchObject({ cwd: "/work/first", model: "gpt-5.5" })
    expect(added[1].payload.turn_id).not.toBe(written.find((l) => l.type === "turn_context").payload.turn_id)
    expect(added[6].payload.info.total_token_usage).toMatchObject({ input_tokens: 230, output_tokens: 17, total_tokens: 247 })
    expect(added[6].payload.info.last_token_usage).toMatchObject({ input_tokens: 130, output_tokens: 7, total_tokens: 137 })
    expect(Date.parse(added[0].timestamp)).toBeGreaterThanOrEqual(Date.parse(written.at(-1).timestamp))

    // Read back: two completed turns, and the history the next resume starts from.
    const history = JSON.parse((await run("history", first.threadId, "--json")).stdout)
    expect(history.thread.turns.map((t: any) => [t.status, t.items.map((i: any) => i.type)])).toEqual([
      ["completed", ["userMessage", "agentMessage"]],
      ["completed", ["userMessage", "agentMessage"]]
    ])
    expect(history.thread.turns[1].items[1].text).toBe("It is 42.")
    const resume = JSON.parse((await run("resume", first.threadId, "--json")).stdout)
    expect(resume.history.map((i: any) => [i.role, i.content[0].text])).toEqual([
      ["user", "Remember: the answer is 42"],
      ["assistant", "Noted: 42."],
      ["user", "What is the answer?"],
      ["assistant", "It is 42."]
    ])
    expect(resume.tokenUsage.total_token_usage.total_tokens).toBe(247)
    expect(resume.previousTurnSettings.model).toBe("gpt-5.5")

    expect((await Validation.validateFile(Files.node, first.path)).problems).toEqual([])
    expect(await Replay.verify(Files.node, [first.path], { codexHome: home })).toEqual({ identical: true, firstDifference: null })
    const verified = await run("replay", first.threadId, "--verify", "--json")
    expect(JSON.parse(verified.stdout)).toEqual({ identical: true, firstDifference: null })
  }, 60_000)

  it("--fork-before N continues a fork instead: a new thread cut before user message N, the original untouched", async () => {
    const { server, run } = await setup([
      ModelScript.reply("Noted: 42.", { usage: usage(100, 10) }),
      ModelScript.reply("Noted: 7.", { usage: usage(120, 5) }),
      ModelScript.reply("Then 43.", { usage: usage(110, 4) })
    ])
    const first = JSON.parse((await run("run", "Remember: the answer is 42", "--json")).stdout)
    expect((await run("run", "--resume", first.threadId, "Also remember 7", "--json")).status).toBe(0)
    const original = fs.readFileSync(first.path, "utf8")

    const ran = await run("run", "--resume", first.threadId, "--fork-before", "1", "Add one", "--json")
    expect(ran.status).toBe(0)
    const forked = JSON.parse(ran.stdout)
    expect(forked).toMatchObject({ status: "completed", lastAgentMessage: "Then 43." })
    expect(forked.threadId).not.toBe(first.threadId)
    expect(forked.path).not.toBe(first.path)
    expect(fs.readFileSync(first.path, "utf8")).toBe(original)
    // The fork's request holds the first turn only (cut before "Also remember 7"), then the new message.
    const third = server.modelRequests[2]?.body as { input: Array<{ role?: string; content?: Array<{ text?: string }> }> }
    expect(third.input.filter((i) => i.role === "user").map((i) => i.content?.[0]?.text)).toEqual(["Remember: the answer is 42", "Add one"])
    const meta = JSON.parse(fs.readFileSync(forked.path, "utf8").split("\n")[0] ?? "{}")
    expect(meta.payload).toMatchObject({ id: forked.threadId, forked_from_id: first.threadId })
    const resume = JSON.parse((await run("resume", forked.threadId, "--json")).stdout)
    expect(resume.history.map((i: any) => i.content[0].text)).toEqual(["Remember: the answer is 42", "Noted: 42.", "Add one", "Then 43."])
    // Without --resume it is a usage error, asking the model nothing.
    const alone = await rollout({}, "run", "--fork-before", "1", "x", "--codex-home", os.tmpdir())
    expect(alone.status).toBe(2)
    expect(alone.stderr).toMatch(/--fork-before goes with --resume/)
    expect(server.modelRequests).toHaveLength(3)
  }, 60_000)

  it("resumes a thread named by its file, and after a tool-calling turn", async () => {
    const { server, run } = await setup([ModelScript.call("sleep", { duration_ms: 1 }, "call_nap"), ModelScript.reply("Rested."), ModelScript.reply("Again.")])
    const first = JSON.parse((await run("run", "Nap", "--json")).stdout)
    const second = JSON.parse((await run("run", "--resume", first.path, "Once more", "--json")).stdout)
    expect(second).toMatchObject({ threadId: first.threadId, status: "completed", lastAgentMessage: "Again." })
    const input = (server.modelRequests[2]!.body as { input: Array<Record<string, unknown>> }).input
    expect(input.map((i) => [i["type"], i["call_id"] ?? i["role"]])).toEqual([
      ["message", "user"],
      ["function_call", "call_nap"],
      ["function_call_output", "call_nap"],
      ["message", "assistant"],
      ["message", "user"]
    ])
  }, 60_000)

  it("continues a paginated thread Codex wrote in its mode: ordinals go on, items as item_completed records", async () => {
    const { home, server, run } = await setup([ModelScript.reply("Continued.", { reasoning: "Thinking.", usage: usage(50, 5) })])
    const sample = "sessions/2026/11/21/rollout-2026-11-21T00-53-43-01a1fb98-4634-7d53-914c-e8f65aa50a8e.jsonl"
    const file = path.join(home, sample)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.copyFileSync(path.join(root, "rollouts", sample), file)
    const before = fs.readFileSync(file, "utf8")
    const ran = JSON.parse((await run("run", "--resume", "01a1fb98-4634", "Next, please", "--json")).stdout)
    expect(ran).toMatchObject({ threadId: "01a1fb98-4634-7d53-914c-e8f65aa50a8e", path: file, status: "completed", lastAgentMessage: "Continued." })
    expect(server.modelRequests[0]!.body["instructions"]).toEqual(JSON.parse(before.split("\n")[0]!).payload.base_instructions.text)
    const after = fs.readFileSync(file, "utf8")
    expect(after.startsWith(before)).toBe(true)
    const added = after
      .slice(before.length)
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    const lastOrdinal = JSON.parse(before.trimEnd().split("\n").at(-1)!).ordinal
    expect(added.map((l) => l.ordinal)).toEqual(added.map((_, i) => lastOrdinal + 1 + i))
    expect(added.map((l) => (l.payload.type === "item_completed" ? `item_completed/${l.payload.item.type}` : `${l.type}/${l.payload.type}`))).toEqual([
      "event_msg/task_started",
      "turn_context/undefined",
      "response_item/message",
      "item_completed/UserMessage",
      "item_completed/Reasoning",
      "response_item/reasoning",
      "item_completed/AgentMessage",
      "response_item/message",
      "event_msg/token_count",
      "event_msg/task_complete"
    ])
    expect(added[1].payload).toMatchObject({ cwd: "/tmp/rollout-oracle/workspace", model: "gpt-5.5" })
    expect(added[8].payload.info.total_token_usage.total_tokens).toBe(26972 + 55)
    const history = JSON.parse((await run("history", ran.threadId, "--json")).stdout)
    expect(history.thread.turns.at(-1).items.map((i: any) => [i.type, i.text ?? i.summary?.[0] ?? i.content?.[0]?.text])).toEqual([
      ["userMessage", "Next, please"],
      ["reasoning", "Thinking."],
      ["agentMessage", "Continued."]
    ])
    expect((await Validation.validateFile(Files.node, file)).problems).toEqual([])
  }, 60_000)

  it("continues Codex's paginated fork from its parent's history, and forks before N as Codex's thread/fork does: the request Codex sent", async () => {
    // fixtures/resume/codex-forks: what Codex 0.171 sent (test/oracle/ResumeForks.test.ts records it).
    const fixture = path.join(root, "fixtures/resume/codex-forks")
    const cases = JSON.parse(fs.readFileSync(path.join(fixture, "cases.json"), "utf8"))
    for (const step of [cases.resumes[0], cases.cutFork]) {
      const { home, server, run } = await setup([ModelScript.reply("Resumed.")])
      for (const [file, size] of Object.entries(step.sizes as Record<string, number>)) {
        fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true })
        fs.writeFileSync(path.join(home, file), fs.readFileSync(path.join(fixture, "home", file)).subarray(0, size))
      }
      const args = step.source === undefined ? [step.threadId] : [step.source, "--fork-before", String(step.beforeUserMessage)]
      const ran = JSON.parse((await run("run", "--resume", ...args, step.prompt, "--json")).stdout)
      expect(ran).toMatchObject({ status: "completed", lastAgentMessage: "Resumed." })
      // Codex sends its base instructions as input[0] (the engine as `instructions`); the new message's id is minted per request.
      const { id: _, ...prompt } = step.input.at(-1)
      expect(server.modelRequests[0]?.body["input"]).toEqual([...step.input.slice(1, -1), prompt])
      // The turn is appended in the fork's paginated mode, ordinals going on from its session_meta.
      const lines = fs
        .readFileSync(ran.path, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l))
      expect(server.modelRequests[0]?.body["instructions"]).toBe(lines[0].payload.base_instructions.text)
      expect(lines.map((l) => l.ordinal)).toEqual(lines.map((_, i) => lines[0].ordinal + i))
    }
  }, 60_000)

  it("refuses a missing thread (exit 2) and a file that is no rollout (exit 1), asking the model nothing", async () => {
    const { home, server, env } = await setup([ModelScript.reply("Never.")])
    const missing = await rollout(env, "run", "--resume", "ffffffff", "Again", "--codex-home", home)
    expect(missing.status).toBe(2)
    const notes = path.join(home, "notes.jsonl")
    fs.writeFileSync(notes, '{"hello":"world"}\n')
    const refused = await rollout(env, "run", "--resume", notes, "Again", "--codex-home", home)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain("is not a rollout")
    expect(fs.readFileSync(notes, "utf8")).toBe('{"hello":"world"}\n')
    expect(server.modelRequests.length).toBe(0)
  }, 60_000)
})

/**
 * Records the real-Codex fidelity matrix: for one Codex binary (`$CODEX_BIN`, else the installed
 * one), threads whose scripted model streams what the Responses API can send that Codex turns into
 * items (reasoning with summary, raw content and encrypted content; commentary and final answers;
 * `web_search_call`; `exec_command` with quotes and a failing command; `apply_patch` freeform;
 * `update_plan`; `view_image`; model errors, HTTP errors, interrupts; a manual compaction; an
 * inline review; MCP tool calls to a local stdio server; a client's dynamic tool; a multi-agent v2
 * spawn and wait; and, in a home of their own, RecordMatrixExtras' hook, sleep and plan cases), through `codex exec` (paginated history) and `codex app-server` (legacy and
 * paginated). A fresh app-server then answers `thread/read` and `thread/turns/list` for each
 * thread, and everything lands in `fixtures/matrix/<version>/<case>/` in the format of
 * `fixtures/oracle/` (see its README). Run it through
 * `node scripts/record-samples.mjs --matrix [--codex-bin PATH]`; a procedure, not a test. Nothing
 * is normalised.
 */
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Codex from "./Codex.js"
import * as RecordMatrixExtras from "./RecordMatrixExtras.js"

export interface Options {
  readonly repoRoot: string
  readonly recordRoot: string
  /** Where the cases go; `fixtures/matrix/<version>` under `repoRoot` by default. */
  readonly out?: string
  readonly log?: (line: string) => void
  /** Record only the cases of `RecordMatrixExtras` (hooks, sleep, plan) into the version's folder, leaving the others. */
  readonly onlyExtras?: boolean
}

/** A 1×1 PNG, for `view_image`. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64")

const shell = (cmd: string, callId: string): ModelScript.Turn => ModelScript.call("exec_command", { cmd, yield_time_ms: 1000 }, callId)

/** Every item kind one turn of the scripted model can make Codex write, in six model calls. */
const everyItem = (tag: string): ReadonlyArray<ModelScript.Turn> => [
  {
    type: "response",
    items: [
      { type: "reasoning", summary: ["Planning the work", "Then doing it"], content: ["raw thought"], encryptedContent: "gAAAAencrypted" },
      { type: "message", text: "Looking around first.", phase: "commentary" },
      {
        type: "raw",
        item: {
          type: "web_search_call",
          id: `ws_${tag}_1`,
          status: "completed",
          action: { type: "search", query: "rollout format", queries: ["rollout format"] }
        }
      },
      {
        type: "raw",
        item: { type: "web_search_call", id: `ws_${tag}_2`, status: "completed", action: { type: "open_page", url: "https://example.com/spec" } }
      },
      { type: "function_call", name: "exec_command", arguments: { cmd: "printf 'one\\ntwo\\n'", yield_time_ms: 1000 }, callId: `call_${tag}_quote` }
    ]
  },
  shell('echo "it\'s" && exit 3', `call_${tag}_fail`),
  {
    type: "response",
    items: [
      {
        type: "custom_tool_call",
        name: "apply_patch",
        callId: `call_${tag}_patch`,
        input: "*** Begin Patch\n*** Add File: notes.md\n+# Notes\n*** End Patch\n"
      }
    ]
  },
  ModelScript.call(
    "update_plan",
    {
      explanation: "Two steps",
      plan: [
        { step: "Look", status: "completed" },
        { step: "Write", status: "in_progress" }
      ]
    },
    `call_${tag}_plan`
  ),
  ModelScript.call("view_image", { path: "pixel.png" }, `call_${tag}_image`),
  {
    type: "response",
    items: [
      { type: "reasoning", summary: ["Wrapping up"] },
      { type: "message", text: "Done: searched, ran two commands, wrote notes.md.", phase: "final_answer" }
    ]
  }
]

/** What the scripted reviewer answers: Codex parses the review sub-agent's reply as a ReviewOutput. */
const reviewOutput = JSON.stringify({
  findings: [
    {
      title: "Off by one",
      body: "The loop stops early.",
      confidence_score: 0.8,
      priority: 1,
      code_location: { absolute_file_path: "/tmp/review/a.rs", line_range: { start: 3, end: 4 } }
    }
  ],
  overall_correctness: "patch is incorrect",
  overall_explanation: "One problem.",
  overall_confidence_score: 0.7
})

const raw = (item: ModelScript.JsonObject): ModelScript.Turn => ({ type: "response", items: [{ type: "raw", item }] })

/**
 * Calls to the local MCP server's `lookup` (test/oracle/McpStdioServer.mjs). Codex defers MCP tools
 * behind `tool_search`: the model searches first (executed by Codex), then calls the tool in the
 * namespace the search returned (`mcp__glossary`). One call succeeds, one gets an error result.
 */
const mcpTurns = (tag: string): ReadonlyArray<ModelScript.Turn> => {
  const lookup = (callId: string, word: string) =>
    raw({
      type: "function_call",
      id: `fc_${callId}`,
      status: "completed",
      name: "lookup",
      namespace: "mcp__glossary",
      arguments: JSON.stringify({ word }),
      call_id: callId
    })
  return [
    raw({
      type: "tool_search_call",
      id: `tsc_${tag}`,
      call_id: `ts_${tag}`,
      status: "completed",
      execution: "client",
      arguments: { query: "glossary lookup", limit: 5 }
    }),
    lookup(`call_${tag}_mcp_ok`, "rollout"),
    lookup(`call_${tag}_mcp_error`, "missing"),
    ModelScript.reply("Looked it up: an append-only log of one thread.")
  ]
}

const agentName = (request: { readonly headers: Readonly<Record<string, unknown>> }): unknown =>
  JSON.parse(String(request.headers["x-codex-turn-metadata"] ?? "{}"))["agent_name"]

/** The root spawns `/root/helper` (multi-agent v2, no forked turns), waits for it, then answers. */
const spawnTurns = (tag: string): ReadonlyArray<ModelScript.Turn> => [
  {
    type: "response",
    items: [
      {
        type: "function_call",
        namespace: "collaboration",
        name: "spawn_agent",
        arguments: { task_name: "helper", message: "Reply with the number 42.", fork_turns: "none" },
        callId: `call_${tag}_spawn`
      }
    ]
  },
  {
    type: "response",
    items: [{ type: "function_call", namespace: "collaboration", name: "wait_agent", arguments: { timeout_ms: 10000 }, callId: `call_${tag}_wait` }]
  },
  ModelScript.reply("The helper answered 42.")
]

const failures: ReadonlyArray<ModelScript.Turn> = [
  ModelScript.fail("The prompt was rejected.", "invalid_prompt"),
  ModelScript.httpError(500, "Scripted server error."),
  ModelScript.reply("Working again.")
]

export const record = async (options: Options): Promise<ReadonlyArray<{ name: string; threadId: string }>> => {
  const log = options.log ?? (() => {})
  const binary = Codex.requireBinary()
  const version = ChildProcess.execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().split(/\s+/).at(-1) ?? "unknown"
  // A spawned agent's requests run beside its parent's: they are answered from their own script.
  const helper: Array<ModelScript.Turn> = []
  const server = await ScriptedModelServer.start({ respond: (request) => (agentName(request) === "/root/helper" ? helper.shift() : undefined) })
  const mcp = Path.join(import.meta.dirname, "McpStdioServer.mjs")
  const home = Codex.createHome({
    baseUrl: server.baseUrl,
    root: options.recordRoot,
    extraConfig: `[mcp_servers.glossary]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(mcp)}]\n`
  })
  Fs.writeFileSync(Path.join(home.workspace, "pixel.png"), PNG)
  const cases: Array<{ name: string; threadId: string }> = []
  const scripted = async <A>(label: string, turns: ReadonlyArray<ModelScript.Turn>, step: () => Promise<A>): Promise<A> => {
    server.enqueue(...turns)
    const result = await step()
    if (server.pending() !== 0 || server.problems.length > 0) {
      throw new Error(`${label}: ${server.pending()} scripted turns left, problems: ${server.problems.join("; ")}`)
    }
    log(`  ${label}`)
    return result
  }
  try {
    log(`recording Codex ${version} into ${home.home}`)
    const out = options.out ?? Path.join(options.repoRoot, "fixtures", "matrix", version)
    const extras = await RecordMatrixExtras.record(server, `${options.recordRoot}-extras`, scripted)
    if (options.onlyExtras === true) {
      await collect(extras.home, extras.cases, out)
      return extras.cases
    }
    // 1. codex exec: paginated history.
    const exec = await scripted("exec-every-item", everyItem("exec"), () => Codex.execTurn(home, "Search, run, patch, plan and look"))
    cases.push({ name: "exec-every-item", threadId: exec.threadId })
    const execFailed = await scripted("exec-failures", failures.slice(0, 1), () => Codex.execTurn(home, "This turn is rejected", { allowFailure: true }))
    cases.push({ name: "exec-failures", threadId: execFailed.threadId })
    await scripted("exec-failures (2)", failures.slice(1, 2), () =>
      Codex.execTurn(home, "This turn meets an HTTP 500", { resume: execFailed.threadId, allowFailure: true })
    )
    await scripted("exec-failures (3)", failures.slice(2), () => Codex.execTurn(home, "And this one works", { resume: execFailed.threadId }))

    // 2. codex app-server: legacy and paginated.
    // The client registers a dynamic tool on some threads and answers Codex's calls of it.
    const app = await Codex.appServer(home, {
      answer: (method) =>
        method === "item/tool/call" ? { contentItems: [{ type: "inputText", text: "rollout: an append-only log" }], success: true } : undefined
    })
    try {
      for (const historyMode of ["legacy", "paginated"] as const) {
        const name = `app-${historyMode}-every-item`
        const threadId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
        await scripted(name, everyItem(historyMode), () => app.runTurn(threadId, "Search, run, patch, plan and look"))
        cases.push({ name, threadId })
        const failedName = `app-${historyMode}-failures`
        const failedId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
        await scripted(failedName, failures, async () => {
          await app.runTurn(failedId, "This turn is rejected")
          await app.runTurn(failedId, "This turn meets an HTTP 500")
          await app.runTurn(failedId, "And this one works")
        })
        cases.push({ name: failedName, threadId: failedId })
        const stopName = `app-${historyMode}-interrupted`
        const stopId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
        await scripted(
          stopName,
          [ModelScript.stall([{ type: "reasoning", summary: ["Thinking about a long task..."] }]), ModelScript.reply("Fine.")],
          async () => {
            const seen = server.modelRequests.length
            const turn = await app.startTurn(stopId, "Start a very long task")
            await server.waitForModelRequests(seen + 1)
            await app.request("turn/interrupt", { threadId: stopId, turnId: turn.id })
            await app.waitFor("turn/completed", (p) => p.threadId === stopId && p.turn.id === turn.id)
            await app.runTurn(stopId, "Never mind")
          }
        )
        cases.push({ name: stopName, threadId: stopId })
        // A manual compaction between two turns (thread/compact/start): a contextCompaction item.
        const compactName = `app-${historyMode}-compaction`
        const compactId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
        await scripted(
          compactName,
          [ModelScript.reply("Noted: the answer is 42."), ModelScript.reply("Summary: the answer is 42."), ModelScript.reply("Still 42.")],
          async () => {
            await app.runTurn(compactId, "Remember: the answer is 42")
            await app.request("thread/compact/start", { threadId: compactId })
            // turn/completed of a compaction turn carries no items: find the turn by its item.
            const item = await app.waitFor("item/completed", (p) => p.threadId === compactId && p.item.type === "contextCompaction")
            await app.waitFor("turn/completed", (p) => p.turn.id === item.params.turnId)
            await app.runTurn(compactId, "What is the answer?")
          }
        )
        cases.push({ name: compactName, threadId: compactId })
        // An inline review (review/start with custom instructions): entered and exited review mode items.
        const reviewName = `app-${historyMode}-review`
        const reviewId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
        await scripted(reviewName, [ModelScript.reply("Ready."), ModelScript.reply(reviewOutput)], async () => {
          await app.runTurn(reviewId, "Hello")
          const review = await app.request("review/start", {
            threadId: reviewId,
            target: { type: "custom", instructions: "Review the loop" },
            delivery: "inline"
          })
          await app.waitFor("turn/completed", (p) => p.threadId === reviewId && p.turn.id === review.turn.id)
        })
        cases.push({ name: reviewName, threadId: reviewId })
        // MCP tool calls to a local stdio server: mcpToolCall items (a result and an error).
        const mcpName = `app-${historyMode}-mcp`
        const mcpId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
        await scripted(mcpName, mcpTurns(historyMode), () => app.runTurn(mcpId, "Look up rollout in the glossary"))
        cases.push({ name: mcpName, threadId: mcpId })
        // A dynamic tool the client registered (thread/start dynamicTools), called once: a dynamicToolCall item.
        const dynamicName = `app-${historyMode}-dynamic-tool`
        const dynamicTools = [
          { type: "function", name: "kb_lookup", description: "Looks a word up.", inputSchema: { type: "object", properties: { word: { type: "string" } } } }
        ]
        const dynamicId = (await app.request("thread/start", { cwd: home.workspace, historyMode, dynamicTools })).thread.id as string
        await scripted(dynamicName, [ModelScript.call("kb_lookup", { word: "rollout" }, `call_${historyMode}_dynamic`), ModelScript.reply("Found it.")], () =>
          app.runTurn(dynamicId, "Look rollout up in the knowledge base")
        )
        cases.push({ name: dynamicName, threadId: dynamicId })
      }
    } finally {
      await app.close()
    }

    // 3. Multi-agent v2 in a home of its own (the feature changes every thread's context): a spawn
    // and a wait give subAgentActivity and collabAgentToolCall items.
    const agentsHome = Codex.createHome({ baseUrl: server.baseUrl, root: `${options.recordRoot}-agents`, extraConfig: "[features]\nmulti_agent_v2 = true\n" })
    const agentCases: Array<{ name: string; threadId: string }> = []
    const agents = await Codex.appServer(agentsHome)
    try {
      for (const historyMode of ["legacy", "paginated"] as const) {
        const name = `app-${historyMode}-agents`
        const threadId = (await agents.request("thread/start", { cwd: agentsHome.workspace, historyMode })).thread.id as string
        helper.push(ModelScript.reply("42"))
        await scripted(name, spawnTurns(historyMode), async () => {
          await agents.runTurn(threadId, "Spawn a helper and report its answer")
          if (helper.length > 0) throw new Error(`${name}: the helper never asked the model`)
        })
        agentCases.push({ name, threadId })
      }
    } finally {
      await agents.close()
    }

    // 4. A fresh app-server (every thread unloaded) says what it rebuilds from each file.
    Fs.rmSync(out, { recursive: true, force: true })
    await collect(home, cases, out)
    await collect(agentsHome, agentCases, out)
    await collect(extras.home, extras.cases, out)
    return [...cases, ...agentCases, ...extras.cases]
  } finally {
    await server.close()
  }
}

/** Copies each thread's rollout to `out/<case>/` with a fresh app-server's thread/read and thread/turns/list of it. */
const collect = async (home: Codex.CodexHome, cases: ReadonlyArray<{ name: string; threadId: string }>, out: string): Promise<void> => {
  const fresh = await Codex.appServer(home)
  try {
    for (const c of cases) {
      const dir = Path.join(out, c.name)
      Fs.rmSync(dir, { recursive: true, force: true })
      Fs.mkdirSync(dir, { recursive: true })
      Fs.copyFileSync(home.rolloutOf(c.threadId), Path.join(dir, "input.jsonl"))
      const read = await fresh.request("thread/read", { threadId: c.threadId, includeTurns: true })
      Fs.writeFileSync(Path.join(dir, "thread-read.json"), `${JSON.stringify(read, null, 2)}\n`)
      const page = await fresh.request("thread/turns/list", { threadId: c.threadId, itemsView: "full", sortDirection: "asc", limit: 100 })
      Fs.writeFileSync(Path.join(dir, "turns-list.json"), `${JSON.stringify(page, null, 2)}\n`)
    }
  } finally {
    await fresh.close()
  }
}

/**
 * Records `fixtures/trace-codex/<case>/`: rollout-trace bundles written by the real Codex CLI
 * (`CODEX_ROLLOUT_TRACE_ROOT` set) against the scripted model server, Codex's own reduction of
 * each bundle (`codex debug trace-reduce`, the exact oracle for `rollout trace --json`) and the
 * facts the recording knows independently of any trace (what the model server was asked and
 * answered, the rollout files Codex wrote). A procedure run by hand, not a test:
 *
 *   node -e 'import("vite").then(async ({ runnerImport }) => { const c = ["source", "node", "import", "default"];
 *     const { module } = await runnerImport("./test/oracle/RecordTraces.ts", { configFile: false, logLevel: "error", resolve: { conditions: c }, ssr: { resolve: { conditions: c, externalConditions: c } } });
 *     await module.record({ repoRoot: process.cwd(), recordRoot: "/tmp/rollout-trace-oracle", log: console.log }); process.exit(0) })'
 *
 * Every bundle file is copied as Codex wrote it; nothing is normalised. It is not the trace
 * reducer and reads no trace event: the test (`TraceCodex.test.ts`) does that. Pass `only: ["case", ...]`
 * to re-record some cases and keep the other fixtures as they are.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Codex from "./Codex.js"

export interface Options {
  /** The repository root: `fixtures/trace-codex/` is written under it. */
  readonly repoRoot: string
  /** Where the throw-away Codex homes are built; their paths end up in the recorded payloads. */
  readonly recordRoot: string
  readonly log?: (line: string) => void
  /** Case names to record; all by default. */
  readonly only?: ReadonlyArray<string>
}

/** What one model request was, as the server saw it (the `x-codex-turn-metadata` header and the body). */
export interface RequestFact {
  readonly agent_name: string
  readonly thread_id: string
  readonly turn_id: string
  /** `request_kind` of the header (`turn`; a local compaction's summary request is not an inference call). */
  readonly request_kind: string
  /** The function calls the script answered with, in order. */
  readonly function_calls: ReadonlyArray<{
    readonly name: string
    readonly namespace: string | null
    readonly call_id: string
    /** The arguments, or a freeform (custom) tool's input. */
    readonly arguments: string
    /** A freeform tool call (`custom_tool_call`, answered by `custom_tool_call_output`). */
    readonly custom?: boolean
  }>
  /** The `function_call_output` / `custom_tool_call_output` items this request carried (the tool results Codex sent back). */
  readonly call_outputs: ReadonlyArray<{ readonly call_id: string; readonly output: unknown }>
  /** The scripted answer: `response`, `failed` or `stall` (a stream left open until the turn was interrupted). */
  readonly answer: string
}

/** `recording.json`: facts taken from the recording, not from the trace. */
export interface Recording {
  readonly case: string
  readonly how: string
  readonly requests: ReadonlyArray<RequestFact>
  /** `session_meta.payload.id` of every rollout file Codex wrote, sorted. */
  readonly rollout_session_ids: ReadonlyArray<string>
  /** `session_meta.payload.id` of the root rollout (the one not spawned by another thread). */
  readonly root_session_id: string
}

/** A scripted turn, or one computed from the request it answers (to echo a value Codex chose, such as a session id). */
type Step = ModelScript.Turn | ((request: { readonly body: ModelScript.JsonObject }) => ModelScript.Turn)

/** Per agent path (`/root`, `/root/helper`), the turns answered in order. */
type Scripts = Record<string, Array<Step>>

interface Case {
  readonly name: string
  readonly how: string
  readonly scripts: Scripts
  readonly features?: ReadonlyArray<string>
  readonly run: (home: Codex.CodexHome, server: ScriptedModelServer.ScriptedModelServer) => Promise<void>
}

const shell = (cmd: string, callId: string): ModelScript.Turn => ModelScript.call("exec_command", { cmd, yield_time_ms: 1000 }, callId)

/** The text of the tool output for `callId` in a request's input (to read the session id Codex chose). */
const outputOf = (body: ModelScript.JsonObject, callId: string): string => {
  const input = Array.isArray(body["input"]) ? (body["input"] as ReadonlyArray<Record<string, unknown>>) : []
  const found = input.find((item) => item["type"] === "function_call_output" && item["call_id"] === callId)
  return typeof found?.["output"] === "string" ? found["output"] : JSON.stringify(found?.["output"] ?? "")
}

/** `thread/compact/start`, then waits for the compaction turn to end (its `turn/completed` carries no items). */
const compactThread = async (app: Awaited<ReturnType<typeof Codex.appServer>>, threadId: string) => {
  await app.request("thread/compact/start", { threadId })
  const item = await app.waitFor("item/completed", (p) => p.threadId === threadId && p.item.type === "contextCompaction")
  const done = await app.waitFor("turn/completed", (p) => p.turn.id === item.params.turnId)
  if (done.params.turn.status !== "completed") throw new Error(`compaction turn ended ${done.params.turn.status}`)
}

const cases: ReadonlyArray<Case> = [
  {
    name: "exec-shell",
    how: "codex exec: one turn, the model runs exec_command once, then answers",
    scripts: { "/root": [shell("printf 'hello from the trace\\n'", "call_shell_1"), ModelScript.reply("The shell said hello.")] },
    run: async (home) => void (await Codex.execTurn(home, "Run a shell command"))
  },
  {
    name: "exec-failed",
    how: "codex exec: one turn whose only model request fails (response.failed)",
    scripts: { "/root": [ModelScript.fail("The scripted model failed on purpose.", "server_error")] },
    run: async (home) => void (await Codex.execTurn(home, "This turn meets a model error", { allowFailure: true }))
  },
  {
    name: "app-server-two-turns",
    how: "codex app-server: thread/start then two turn/start; the second turn runs exec_command",
    scripts: {
      "/root": [
        ModelScript.reply("Hello! Ready when you are.", { reasoning: "The user greets me." }),
        shell("printf 'second turn\\n'", "call_shell_2"),
        ModelScript.reply("Done: the shell printed the words.")
      ]
    },
    run: async (home) => {
      const app = await Codex.appServer(home)
      try {
        const thread = (await app.request("thread/start", { cwd: home.workspace })).thread.id as string
        for (const prompt of ["Hello Codex", "Now run a shell command"]) {
          const turn = await app.runTurn(thread, prompt)
          if (turn.status !== "completed") throw new Error(`turn ended ${turn.status}`)
        }
      } finally {
        await app.close()
      }
    }
  },
  {
    name: "exec-spawn-agent",
    how: "codex exec with multi_agent_v2: the root spawns /root/helper (fork_turns none), waits for it, then answers",
    features: ["multi_agent_v2"],
    scripts: {
      "/root": [
        {
          type: "response",
          items: [
            {
              type: "function_call",
              namespace: "collaboration",
              name: "spawn_agent",
              arguments: { task_name: "helper", message: "Reply with the number 42.", fork_turns: "none" },
              callId: "call_spawn_1"
            }
          ]
        },
        {
          type: "response",
          items: [{ type: "function_call", namespace: "collaboration", name: "wait_agent", arguments: { timeout_ms: 10000 }, callId: "call_wait_1" }]
        },
        ModelScript.reply("The helper answered 42.")
      ],
      "/root/helper": [ModelScript.reply("42")]
    },
    run: async (home) => void (await Codex.execTurn(home, "Spawn a helper and report its answer"))
  },
  {
    name: "exec-write-stdin",
    how: "codex exec: the model starts a shell that waits for a line (exec_command), writes the line to it (write_stdin), then answers",
    scripts: {
      "/root": [
        ModelScript.call("exec_command", { cmd: 'read line; echo "got $line"', tty: true, yield_time_ms: 500 }, "call_read_1"),
        (request) => {
          const session = /session ID (\d+)/.exec(outputOf(request.body, "call_read_1"))?.[1]
          if (session === undefined) throw new Error(`exec_command did not leave a session running: ${outputOf(request.body, "call_read_1")}`)
          return ModelScript.call("write_stdin", { session_id: Number(session), chars: "hi\n", yield_time_ms: 1000 }, "call_stdin_1")
        },
        ModelScript.reply("The shell echoed the line.")
      ]
    },
    run: async (home) => void (await Codex.execTurn(home, "Start a shell and talk to it"))
  },
  {
    name: "exec-apply-patch",
    how: "codex exec: the model adds a file with apply_patch, then answers",
    scripts: {
      "/root": [
        {
          type: "response",
          items: [
            {
              type: "custom_tool_call",
              name: "apply_patch",
              input: "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n",
              callId: "call_patch_1"
            }
          ]
        },
        ModelScript.reply("Added hello.txt.")
      ]
    },
    run: async (home) => void (await Codex.execTurn(home, "Add a hello file"))
  },
  {
    name: "exec-code-cell",
    how: "codex exec with code_mode: the model runs a code cell (exec) that calls exec_command, then answers",
    features: ["code_mode"],
    scripts: {
      "/root": [
        {
          type: "response",
          items: [
            {
              type: "custom_tool_call",
              name: "exec",
              input: 'const r = await tools.exec_command({ cmd: "printf \'nested shell\\\\n\'" });\ntext(typeof r === "string" ? r : JSON.stringify(r));\n',
              callId: "call_cell_1"
            }
          ]
        },
        ModelScript.reply("The cell ran the shell.")
      ]
    },
    run: async (home) => void (await Codex.execTurn(home, "Run some code"))
  },
  {
    name: "app-server-compact",
    how: "codex app-server: a turn, a manual compaction (thread/compact/start), then a turn on the compacted history",
    scripts: {
      "/root": [ModelScript.reply("Noted: the answer is 42."), ModelScript.reply("Summary: the user said the answer is 42."), ModelScript.reply("Still 42.")]
    },
    run: async (home) => {
      const app = await Codex.appServer(home)
      try {
        const thread = (await app.request("thread/start", { cwd: home.workspace })).thread.id as string
        if ((await app.runTurn(thread, "Remember: the answer is 42")).status !== "completed") throw new Error("first turn failed")
        await compactThread(app, thread)
        if ((await app.runTurn(thread, "What is the answer?")).status !== "completed") throw new Error("last turn failed")
      } finally {
        await app.close()
      }
    }
  },
  {
    name: "app-server-interrupted",
    how: "codex app-server: the model stalls mid-stream, the client interrupts the turn (turn/interrupt), the next turn works",
    scripts: {
      "/root": [
        ModelScript.stall([{ type: "message", text: "Working on it, step one of many...", phase: "commentary" }]),
        ModelScript.reply("Fine, something shorter then.")
      ]
    },
    run: async (home, server) => {
      const app = await Codex.appServer(home)
      try {
        const thread = (await app.request("thread/start", { cwd: home.workspace })).thread.id as string
        const turn = await app.startTurn(thread, "Start a very long task")
        await server.waitForModelRequests(1)
        await app.waitFor("item/completed", (p) => p.threadId === thread && p.item.type === "agentMessage" && p.turnId === turn.id)
        await app.request("turn/interrupt", { threadId: thread, turnId: turn.id })
        const done = await app.waitFor("turn/completed", (p) => p.threadId === thread && p.turn.id === turn.id)
        if (done.params.turn.status !== "interrupted") throw new Error(`turn ended ${done.params.turn.status}`)
        if ((await app.runTurn(thread, "Never mind, say hi")).status !== "completed") throw new Error("last turn failed")
      } finally {
        await app.close()
      }
    }
  }
]

export const record = async (options: Options): Promise<ReadonlyArray<string>> => {
  const log = options.log ?? (() => {})
  const out = Path.join(options.repoRoot, "fixtures", "trace-codex")
  // `only` re-records some cases and leaves the others' fixtures as they are.
  for (const c of cases.filter((c) => options.only === undefined || options.only.includes(c.name))) {
    const started = Date.now()
    const scripts: Scripts = Object.fromEntries(Object.entries(c.scripts).map(([k, v]) => [k, [...v]]))
    // Agents run concurrently: each request is answered from its own agent's script.
    const server = await ScriptedModelServer.start({
      respond: (request) => {
        const step = scripts[String(turnMetadata(request)["agent_name"])]?.shift()
        return typeof step === "function" ? step(request) : step
      }
    })
    try {
      const features = (c.features ?? []).map((f) => `${f} = true`).join("\n")
      const base = Codex.createHome({ baseUrl: server.baseUrl, root: Path.join(options.recordRoot, c.name), extraConfig: `[features]\n${features}\n` })
      // Short base instructions keep every inference request payload (hence the bundle) small.
      // The key must precede the tables `configToml` writes, so it goes first.
      const instructions = Path.join(base.root, "instructions.md")
      Fs.writeFileSync(instructions, "You are Codex, a coding agent, answering a scripted test model. Be brief.\n")
      const config = Path.join(base.home, "config.toml")
      Fs.writeFileSync(config, `model_instructions_file = ${JSON.stringify(instructions)}\n${Fs.readFileSync(config, "utf8")}`)
      const traceRoot = Path.join(base.root, "traces")
      const home: Codex.CodexHome = { ...base, env: { ...base.env, CODEX_ROLLOUT_TRACE_ROOT: traceRoot } }
      await c.run(home, server)
      const left = Object.entries(scripts)
        .filter(([, v]) => v.length > 0)
        .map(([k, v]) => `${k}: ${v.length}`)
      if (left.length > 0 || server.problems.length > 0) throw new Error(`${c.name}: turns left (${left.join(", ")}), problems: ${server.problems.join("; ")}`)
      const bundles = Fs.readdirSync(traceRoot).filter((name) => name.startsWith("trace-"))
      if (bundles.length !== 1) throw new Error(`${c.name}: expected one bundle, found ${bundles.join(", ")}`)
      const bundle = bundles[0]!

      const dir = Path.join(out, c.name)
      Fs.rmSync(dir, { recursive: true, force: true })
      Fs.mkdirSync(dir, { recursive: true })
      Fs.cpSync(Path.join(traceRoot, bundle), Path.join(dir, bundle), { recursive: true, preserveTimestamps: true })
      reduceWithCodex(home, Path.join(dir, bundle), Path.join(dir, "codex-state.json"))
      const recording: Recording = {
        case: c.name,
        how: c.how,
        requests: server.modelRequests.map(requestFact),
        ...sessions(home)
      }
      Fs.writeFileSync(Path.join(dir, "recording.json"), `${JSON.stringify(recording, null, 2)}\n`)
      log(`  ${c.name}: ${bundle} (${Date.now() - started} ms)`)
    } finally {
      await server.close()
    }
  }
  Fs.writeFileSync(Path.join(out, "README.md"), readme())
  return cases.map((c) => c.name)
}

const readme = () =>
  [
    "# Rollout-trace bundles written by the real Codex CLI 0.169",
    "",
    "Recorded by `test/oracle/RecordTraces.ts` (run by hand; see its header) with `CODEX_ROLLOUT_TRACE_ROOT` set,",
    "against the scripted model server (`model_instructions_file` shortens the base instructions so bundles stay small).",
    "Each case holds the bundle directory exactly as Codex wrote it (`trace-<trace_id>-<root_thread_id>/`),",
    "`codex-state.json` (Codex's own `codex debug trace-reduce` of it: the exact oracle for `rollout trace --json`)",
    "and `recording.json` (facts from the recording alone: each model request's agent, thread and turn from the",
    "`x-codex-turn-metadata` header, the function calls scripted, the tool outputs Codex sent back, the rollout session ids).",
    "Checked by `test/oracle/TraceCodex.test.ts`.",
    "",
    ...cases.map((c) => `- \`${c.name}/\`: ${c.how}.`),
    ""
  ].join("\n")

/** Codex names the requesting agent, thread and turn in this header. */
const turnMetadata = (request: Pick<ScriptedModelServer.RecordedRequest, "headers">): Record<string, unknown> =>
  JSON.parse(String(request.headers["x-codex-turn-metadata"] ?? "{}"))

const requestFact = (request: ScriptedModelServer.ModelRequest): RequestFact => {
  const input = Array.isArray(request.body["input"]) ? (request.body["input"] as ReadonlyArray<Record<string, unknown>>) : []
  const metadata = turnMetadata(request)
  const turn = request.turn
  if (turn === undefined) throw new Error(`model request ${request.responseNumber} had no scripted turn`)
  return {
    agent_name: String(metadata["agent_name"]),
    thread_id: String(metadata["thread_id"]),
    turn_id: String(metadata["turn_id"]),
    request_kind: String(metadata["request_kind"]),
    function_calls:
      turn.type === "response"
        ? turn.items.flatMap((item) =>
            item.type === "function_call"
              ? [
                  {
                    name: item.name,
                    namespace: item.namespace ?? null,
                    call_id: item.callId ?? "",
                    arguments: typeof item.arguments === "string" ? item.arguments : JSON.stringify(item.arguments)
                  }
                ]
              : item.type === "custom_tool_call"
                ? [{ name: item.name, namespace: null, call_id: item.callId ?? "", arguments: item.input, custom: true }]
                : []
          )
        : [],
    call_outputs: input
      .filter((item) => item["type"] === "function_call_output" || item["type"] === "custom_tool_call_output")
      .map((item) => ({ call_id: String(item["call_id"]), output: item["output"] })),
    answer: turn.type
  }
}

/** The session ids of the rollout files Codex wrote (first line: `session_meta`). */
const sessions = (home: Codex.CodexHome): Pick<Recording, "rollout_session_ids" | "root_session_id"> => {
  const metas = home.rollouts().map((file) => JSON.parse(Fs.readFileSync(file, "utf8").split("\n")[0]!).payload as Record<string, any>)
  const roots = metas.filter((meta) => typeof meta["source"] === "string" || meta["source"]?.["subagent"] === undefined)
  if (roots.length !== 1) throw new Error(`expected one root rollout, found ${roots.length}`)
  return { rollout_session_ids: metas.map((meta) => String(meta["id"])).sort(), root_session_id: String(roots[0]!["id"]) }
}

const reduceWithCodex = (home: Codex.CodexHome, bundle: string, output: string) => {
  const result = ChildProcess.spawnSync(Codex.requireBinary(), ["debug", "trace-reduce", bundle, "-o", output], {
    cwd: home.workspace,
    env: home.env,
    encoding: "utf8",
    timeout: 60_000
  })
  if (result.status !== 0) throw new Error(`codex debug trace-reduce ${bundle}: exit ${result.status}\n${result.stderr}`)
}

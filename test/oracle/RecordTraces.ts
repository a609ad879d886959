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
 * reducer and reads no trace event: the test (`TraceCodex.test.ts`) does that.
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
}

/** What one model request was, as the server saw it (the `x-codex-turn-metadata` header and the body). */
export interface RequestFact {
  readonly agent_name: string
  readonly thread_id: string
  readonly turn_id: string
  /** The function calls the script answered with, in order. */
  readonly function_calls: ReadonlyArray<{ readonly name: string; readonly namespace: string | null; readonly call_id: string; readonly arguments: string }>
  /** The `function_call_output` items this request carried (the tool results Codex sent back). */
  readonly call_outputs: ReadonlyArray<{ readonly call_id: string; readonly output: unknown }>
  /** The scripted answer: `response` or `failed`. */
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

/** Per agent path (`/root`, `/root/helper`), the turns answered in order. */
type Scripts = Record<string, Array<ModelScript.Turn>>

interface Case {
  readonly name: string
  readonly how: string
  readonly scripts: Scripts
  readonly features?: ReadonlyArray<string>
  readonly run: (home: Codex.CodexHome) => Promise<void>
}

const shell = (cmd: string, callId: string): ModelScript.Turn => ModelScript.call("exec_command", { cmd, yield_time_ms: 1000 }, callId)

const cases: ReadonlyArray<Case> = [
  {
    name: "exec-shell",
    how: "codex exec: one turn, the model runs exec_command once, then answers",
    scripts: { "/root": [shell("printf 'hello from the trace\\n'", "call_shell_1"), ModelScript.reply("The shell said hello.")] },
    run: async (home) => void await Codex.execTurn(home, "Run a shell command")
  },
  {
    name: "exec-failed",
    how: "codex exec: one turn whose only model request fails (response.failed)",
    scripts: { "/root": [ModelScript.fail("The scripted model failed on purpose.", "server_error")] },
    run: async (home) => void await Codex.execTurn(home, "This turn meets a model error", { allowFailure: true })
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
          items: [{ type: "function_call", namespace: "collaboration", name: "spawn_agent", arguments: { task_name: "helper", message: "Reply with the number 42.", fork_turns: "none" }, callId: "call_spawn_1" }]
        },
        { type: "response", items: [{ type: "function_call", namespace: "collaboration", name: "wait_agent", arguments: { timeout_ms: 10000 }, callId: "call_wait_1" }] },
        ModelScript.reply("The helper answered 42.")
      ],
      "/root/helper": [ModelScript.reply("42")]
    },
    run: async (home) => void await Codex.execTurn(home, "Spawn a helper and report its answer")
  }
]

export const record = async (options: Options): Promise<ReadonlyArray<string>> => {
  const log = options.log ?? (() => {})
  const out = Path.join(options.repoRoot, "fixtures", "trace-codex")
  for (const c of cases) {
    const started = Date.now()
    const scripts: Scripts = Object.fromEntries(Object.entries(c.scripts).map(([k, v]) => [k, [...v]]))
    // Agents run concurrently: each request is answered from its own agent's script.
    const server = await ScriptedModelServer.start({
      respond: (request) => scripts[String(turnMetadata(request)["agent_name"])]?.shift()
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
      await c.run(home)
      const left = Object.entries(scripts).filter(([, v]) => v.length > 0).map(([k, v]) => `${k}: ${v.length}`)
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

const readme = () => [
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
    function_calls: turn.type === "response"
      ? turn.items.flatMap((item) =>
        item.type === "function_call"
          ? [{
            name: item.name,
            namespace: item.namespace ?? null,
            call_id: item.callId ?? "",
            arguments: typeof item.arguments === "string" ? item.arguments : JSON.stringify(item.arguments)
          }]
          : []
      )
      : [],
    call_outputs: input.filter((item) => item["type"] === "function_call_output").map((item) => ({ call_id: String(item["call_id"]), output: item["output"] })),
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
  const result = ChildProcess.spawnSync(Codex.requireBinary(), ["debug", "trace-reduce", bundle, "-o", output], { cwd: home.workspace, env: home.env, encoding: "utf8", timeout: 60_000 })
  if (result.status !== 0) throw new Error(`codex debug trace-reduce ${bundle}: exit ${result.status}\n${result.stderr}`)
}

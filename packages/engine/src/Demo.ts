/**
 * The demo session behind `rollout run --demo`: scripted scenarios run by the real engine against a
 * local `ScriptedModelServer` (real HTTP, real SSE, the real openai client), written into a Codex
 * home. Together they exercise every engine behaviour: reasoning and messages, tool calls, the
 * sleep tool (completed, and ended early by user input), stop hooks, the session budget,
 * multi-agent v2 tools (spawn, interrupt, message, follow-up), compaction, an interrupt, and model
 * failures (retried, and ending a turn). Each scenario is its own root thread; every rollout it
 * writes replays identically (`Replay.verify`). It is a fixed script, not a model.
 */
import type * as Clock from "./Clock.js"
import * as Engine from "./Engine.js"
import type * as Ids from "./Ids.js"
import * as ModelScript from "./ModelScript.js"
import * as ScriptedModelServer from "./ScriptedModelServer.js"

export interface Options {
  readonly codexHome: string
  readonly cwd: string
  /** Default: the live clock (sleeps really wait, briefly). Tests pass a virtual one. */
  readonly clockFor?: (threadId: string) => Clock.Clock
  readonly idsFor?: (threadId: string) => Ids.Ids
  /** Record a rollout-trace bundle per scenario under this directory (see `Engine.Options.traceRoot`). */
  readonly traceRoot?: string
}

export interface DemoThread {
  readonly scenario: string
  readonly threadId: string
  readonly path: string
  /** The agent path (`/root` or `/root/<name>`). */
  readonly agentPath: string
  /** The trace bundle directory the thread was recorded in, when tracing. */
  readonly trace?: string
}

interface Scenario {
  readonly name: string
  readonly root: ReadonlyArray<ModelScript.Turn>
  readonly children?: ReadonlyArray<ModelScript.Turn>
  readonly options?: Partial<Engine.Options>
  readonly drive: (thread: Engine.Handle) => Promise<void>
}

const call = (name: string, args: ModelScript.JsonObject, callId: string, usage?: ModelScript.Usage): ModelScript.Turn => ({
  type: "response",
  items: [{ type: "function_call", name, arguments: args, callId }],
  ...(usage === undefined ? {} : { usage })
})

const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "conversation",
    root: [
      ModelScript.reply("Hello! What shall we build?", { reasoning: "The user greets me." }),
      call("sleep", { duration_ms: 200 }, "call_nap"),
      ModelScript.reply("I rested for a moment; ready.")
    ],
    drive: async (thread) => {
      await thread.run("Hello")
      await thread.run("Take a short break, then tell me you are ready")
    }
  },
  {
    name: "sleep-interrupted-by-input",
    root: [call("sleep", { duration_ms: 600_000 }, "call_long_nap"), ModelScript.reply("Awake: what is the new plan?")],
    drive: async (thread) => {
      const off = thread.subscribe((event) => {
        if (event.line.type === "event_msg" && event.line.payload.type === "item_started") thread.submit("Wake up, plans changed")
      })
      await thread.run("Wait ten minutes for the build")
      off()
    }
  },
  {
    name: "stop-hook",
    root: [ModelScript.reply("Done, the bug is fixed."), ModelScript.reply("Tests run: all green.")],
    options: {
      stopHooks: [
        {
          kind: "function",
          name: "require-tests",
          run: (input) => (input.stopHookActive ? { decision: "continue" } : { decision: "block", reason: "Run the tests before you stop." })
        }
      ]
    },
    drive: (thread) => thread.run("Fix the off-by-one bug")
  },
  {
    name: "session-budget",
    root: [call("sleep", { duration_ms: 10 }, "call_budget", { inputTokens: 900, outputTokens: 200 })],
    options: { sessionBudget: 1000 },
    drive: (thread) => thread.run("Explore the whole repository")
  },
  {
    name: "multi-agent",
    root: [
      call("spawn_agent", { task_name: "worker", message: "List the failing tests", agent_type: "explorer" }, "call_spawn"),
      call("interrupt_agent", { target: "worker" }, "call_interrupt"),
      call("send_message", { target: "/root/worker", message: "Only the unit tests, please" }, "call_message"),
      call("followup_task", { target: "worker", message: "Now summarise them in one line" }, "call_followup"),
      ModelScript.reply("The worker is on it.")
    ],
    children: [ModelScript.stall(), ModelScript.reply("3 unit tests fail."), ModelScript.reply("Three unit tests fail in the parser.")],
    drive: (thread) => thread.run("Find out which tests fail, with a helper")
  },
  {
    name: "compaction",
    root: [
      call("sleep", { duration_ms: 10 }, "call_before_compact", { inputTokens: 9000, outputTokens: 100 }),
      ModelScript.reply("Summary: the user asked for a report after a pause; the pause is done."),
      ModelScript.reply("Report: nothing changed while waiting.")
    ],
    options: { config: { autoCompactTokenLimit: 8000 } },
    drive: (thread) => thread.run("Pause, then report")
  },
  {
    name: "interrupt",
    root: [ModelScript.stall([{ type: "message", text: "Starting a long analysis" }]), ModelScript.reply("Stopped. What next?")],
    drive: async (thread) => {
      const off = thread.subscribe((event) => {
        if (event.line.type === "event_msg" && event.line.payload.type === "agent_message") void thread.interrupt()
      })
      await thread.run("Analyse every file")
      off()
      await thread.run("Never mind")
    }
  },
  {
    name: "model-failures",
    root: [
      ModelScript.httpError(500),
      { type: "disconnect" },
      ModelScript.reply("Recovered after two retries."),
      ...Array.from({ length: 6 }, () => ModelScript.fail("The model is overloaded.", "server_is_overloaded"))
    ],
    drive: async (thread) => {
      await thread.run("Say something despite the flaky network")
      await thread.run("And again")
    }
  }
]

/** Runs every scenario into `codexHome`; returns the threads written (children included). */
export const run = async (options: Options): Promise<ReadonlyArray<DemoThread>> => {
  let rootId = ""
  let root: Array<ModelScript.Turn> = []
  let children: Array<ModelScript.Turn> = []
  const server = await ScriptedModelServer.start({
    // Each request is answered from the script of the thread that sent it (`session_id` header).
    respond: (request) => (request.headers["session_id"] === rootId ? root : children).shift()
  })
  const written: Array<DemoThread> = []
  try {
    for (const scenario of scenarios) {
      root = [...scenario.root]
      children = [...(scenario.children ?? [])]
      const engine = Engine.make({
        codexHome: options.codexHome,
        baseURL: server.baseUrl,
        config: { cwd: options.cwd, backoffBaseMs: 20 },
        ...(options.clockFor === undefined ? {} : { clockFor: options.clockFor }),
        ...(options.idsFor === undefined ? {} : { idsFor: options.idsFor }),
        idleTimeoutMs: 10_000,
        ...(options.traceRoot === undefined ? {} : { traceRoot: options.traceRoot }),
        ...scenario.options
      })
      const thread = engine.startThread()
      rootId = thread.id
      try {
        await scenario.drive(thread)
      } finally {
        await engine.close()
      }
      for (const t of engine.threads.values()) {
        if (t.recorder === undefined) continue
        const trace = t.trace?.bundle.writer.dir
        written.push({ scenario: scenario.name, threadId: t.id, path: t.recorder.path, agentPath: t.agentPath, ...(trace === undefined ? {} : { trace }) })
      }
    }
  } finally {
    await server.close()
  }
  return written
}

// `rollout serve --stdio` against the real `codex app-server` 0.171: the same requests (initialize,
// thread/list pages with cursors and filters, thread/read with and without turns, thread/turns/list
// pages, thread/search, unknown and malformed thread ids, unsupported read methods, and archive,
// unarchive and name/set on a copy of the home) go to both servers on the same Codex home, at the
// same path, and the answers must be equal. Codex builds a paginated thread's turns only once it
// has resumed it, so a first Codex process resumes those threads and both servers then read the
// home as it left it. The few fields that must differ are listed at `knownDifferences`, with why.
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as AppServer from "./AppServer.js"
import * as Codex from "./Codex.js"

const missing = "skipped: the codex binary is missing (install @openai/codex or set CODEX_BIN)"
if (Codex.binary === undefined) console.warn(`oracle/Serve.test.ts ${missing}`)

const repo = Path.resolve(import.meta.dirname, "../..")
const bin = Path.join(repo, "packages/cli/bin/rollout.js")
const scratch = Fs.mkdtempSync(Path.join(Os.tmpdir(), "serve-oracle-"))
afterAll(() => Fs.rmSync(scratch, { recursive: true, force: true }))

const legacy = ["01a1fb98-3e76-7a42-a25c-af3950c41fdb", "01a1fb98-3f8d-7a02-bde8-669b6b38e49b", "01a1fb98-4579-7172-9e2f-680148a871a8"]
const paginated = ["01a1fb98-4634-7d53-914c-e8f65aa50a8e", "01a1fb98-4d37-7260-9806-d731f1871140", "01a1fb98-5691-7263-94fa-5eed69d583aa"]
const unknown = "01a1fb98-0000-7a42-a25c-af3950c41fdb"

type Step = readonly [method: string, params: Record<string, unknown>]
type Answer = { readonly result: unknown } | { readonly error: { readonly code: number | undefined; readonly message: string } }

/** A fresh copy of the sample home (timestamps kept) in a Codex home whose provider is the samples'. */
const sampleHome = (name: string): Codex.CodexHome => {
  const home = Codex.createHome({ baseUrl: "http://127.0.0.1:9/v1", root: Path.join(scratch, name) })
  Fs.cpSync(Path.join(repo, "rollouts/sessions"), home.sessionsDir, { recursive: true, preserveTimestamps: true })
  Fs.cpSync(Path.join(repo, "rollouts/session_index.jsonl"), Path.join(home.home, "session_index.jsonl"), { preserveTimestamps: true })
  return home
}

/** `rollout serve --stdio` behind the launcher interface AppServer drives (`<binary> app-server`). */
const rolloutLauncher = (home: Codex.CodexHome): string => {
  const script = Path.join(scratch, `rollout-serve-${Path.basename(home.root)}.sh`)
  const index = Path.join(scratch, `${Path.basename(home.root)}.db`)
  Fs.writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" "${bin}" serve --stdio --codex-home "${home.home}" --index "${index}"\n`, { mode: 0o755 })
  return script
}

const ask = async (server: AppServer.AppServer, steps: ReadonlyArray<Step>): Promise<Array<Answer>> => {
  const answers: Array<Answer> = []
  for (const [method, params] of steps) {
    try {
      answers.push({ result: await server.request(method, params) })
    } catch (error) {
      if (!(error instanceof AppServer.AppServerError) || error.code === undefined) throw error
      answers.push({ error: { code: error.code, message: error.message.slice(`${method}: `.length).split("\n--- codex app-server stderr")[0] ?? "" } })
    }
  }
  return answers
}

/** The notifications both servers send about threads (Codex also sends its own status ones). */
const threadNotifications = (server: AppServer.AppServer) =>
  server.notifications.filter((n) => n.method.startsWith("thread/") || n.method === "deprecationNotice").map((n) => ({ method: n.method, params: n.params }))

/** Every page of a listing, each asked with the cursor the server gave on the page before. */
const walk = async (server: AppServer.AppServer, params: Record<string, unknown>): Promise<Array<Answer>> => {
  const pages: Array<Answer> = []
  let cursor: string | null = null
  do {
    const [page] = await ask(server, [["thread/list", { ...params, cursor }]])
    pages.push(page as Answer)
    cursor = page !== undefined && "result" in page ? (page.result as { nextCursor: string | null }).nextCursor : null
  } while (cursor !== null && pages.length < 30)
  return pages
}

const askAll = async (server: AppServer.AppServer, steps: ReadonlyArray<Step>, walks: ReadonlyArray<Record<string, unknown>>) => {
  const answers = await ask(server, steps)
  for (const params of walks) answers.push(...(await walk(server, params)))
  return answers
}

/** Runs the steps on Codex, then on `rollout serve` over the same home restored to the same state. */
const both = async (home: Codex.CodexHome, steps: ReadonlyArray<Step>, walks: ReadonlyArray<Record<string, unknown>> = []) => {
  const snapshot = `${home.root}.snapshot`
  Fs.cpSync(home.root, snapshot, { recursive: true, preserveTimestamps: true })
  const codex = await Codex.appServer(home)
  const theirs = await askAll(codex, steps, walks).finally(() => codex.close())
  const theirNotes = threadNotifications(codex)
  Fs.rmSync(home.root, { recursive: true, force: true })
  Fs.cpSync(snapshot, home.root, { recursive: true, preserveTimestamps: true })
  const ours = await AppServer.start(home, { binary: rolloutLauncher(home) })
  const mine = await askAll(ours, steps, walks).finally(() => ours.close())
  return { theirs, mine, theirNotes, myNotes: threadNotifications(ours) }
}

/**
 * Fields that differ on purpose, by step index: `rollout` rebuilds a paginated fork's preview from
 * its parent's first message as `thread/read` without turns does, where Codex's full read takes the
 * fork's own; and after `thread/unarchive` Codex keeps the thread's earlier recency (its database
 * row survives the move) while the index, rebuilt from the touched file, has only the new time.
 */
const knownDifferences = (steps: ReadonlyArray<Step>, i: number, answer: Answer): Answer => {
  const [method, params] = steps[i] ?? ["thread/list", {}]
  if (!("result" in answer)) return answer
  const result = structuredClone(answer.result) as { thread?: Record<string, unknown> }
  if (method === "thread/read" && params["includeTurns"] === true && params["threadId"] === paginated[2] && result.thread) delete result.thread["preview"]
  if (method === "thread/unarchive" && result.thread) delete result.thread["recencyAt"]
  return { result }
}

/** Deep equality, and the same member order in every object (the JSON text matches too). */
const expectSame = (steps: ReadonlyArray<Step>, theirs: ReadonlyArray<Answer>, mine: ReadonlyArray<Answer>) => {
  // Walked pages come after the steps; they have no step of their own.
  expect(mine.length).toBe(theirs.length)
  theirs.forEach((answer, i) => {
    const t = knownDifferences(steps, i, answer)
    const m = knownDifferences(steps, i, mine[i] as Answer)
    const step = steps[i] ?? `listing page ${i - steps.length + 1}`
    expect({ step, answer: m }).toEqual({ step, answer: t })
    const order = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(order)
        : typeof v === "object" && v !== null
          ? Object.entries(v).map(([k, x]) => [k, k === "readStates" ? null : order(x)])
          : null
    expect({ step, order: order(m) }).toEqual({ step, order: order(t) })
  })
}

const list = (params: Record<string, unknown>): Step => ["thread/list", params]

/**
 * A home of forty small threads made here: three working directories, every source kind Codex
 * lists (a spawned sub-agent aside: Codex rewrites its file when it first indexes it), two
 * providers, a few archived, two threads a second (the id breaks creation ties) and
 * shared modification times.
 */
const generatedHome = (name: string): Codex.CodexHome => {
  const home = Codex.createHome({ baseUrl: "http://127.0.0.1:9/v1", root: Path.join(scratch, name) })
  const sources: ReadonlyArray<unknown> = ["cli", "vscode", "exec", "vscode", "cli", { subagent: "review" }, "mcp"]
  const cwds = ["/home/ana/proj", "/home/ana/other", "/srv/app"]
  const base = Date.UTC(2026, 10, 1, 10, 0, 0)
  for (let i = 0; i < 40; i++) {
    const ms = base + Math.floor(i / 2) * 1000 + (i % 2) * 400 + i
    const hex = ms.toString(16).padStart(12, "0")
    const n = String(i).padStart(3, "0")
    const id = `${hex.slice(0, 8)}-${hex.slice(8)}-7${n}-8000-${n.padStart(12, "0")}`
    const turn = `${hex.slice(0, 8)}-${hex.slice(8)}-7${n}-9000-${n.padStart(12, "0")}`
    const stamp = new Date(ms).toISOString().slice(0, 19).replace(/:/g, "-")
    const dir = i % 9 === 4 ? Path.join(home.home, "archived_sessions") : Path.join(home.sessionsDir, stamp.slice(0, 4), stamp.slice(5, 7), stamp.slice(8, 10))
    const at = (k: number) => new Date(ms + k * 50).toISOString()
    const prompt = `Task number ${i}: fix the ${i % 2 === 1 ? "parser" : "server"}`
    const cwd = cwds[i % 3]
    const lines = [
      {
        timestamp: at(0),
        type: "session_meta",
        payload: {
          id,
          timestamp: at(0),
          cwd,
          originator: "codex_cli_rs",
          cli_version: "0.171.0",
          source: sources[i % sources.length],
          model_provider: i % 4 === 3 ? "openai" : "local",
          base_instructions: { text: "You are Codex." }
        }
      },
      {
        timestamp: at(1),
        type: "turn_context",
        payload: {
          turn_id: turn,
          cwd,
          approval_policy: "never",
          sandbox_policy: { type: "danger-full-access" },
          model: i % 2 === 1 ? "gpt-5.5" : "gpt-5.2-codex",
          effort: "medium",
          summary: "none"
        }
      },
      {
        timestamp: at(2),
        type: "event_msg",
        payload: { type: "task_started", turn_id: turn, started_at: Math.floor(ms / 1000), model_context_window: 258400 }
      },
      { timestamp: at(3), type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: prompt }] } },
      { timestamp: at(4), type: "event_msg", payload: { type: "user_message", message: prompt, images: [], local_images: [], text_elements: [] } },
      { timestamp: at(5), type: "response_item", payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: `Done with ${i}.` }] } },
      { timestamp: at(6), type: "event_msg", payload: { type: "agent_message", message: `Done with ${i}.` } },
      { timestamp: at(7), type: "event_msg", payload: { type: "task_complete", turn_id: turn, last_agent_message: `Done with ${i}.` } }
    ]
    Fs.mkdirSync(dir, { recursive: true })
    const file = Path.join(dir, `rollout-${stamp}-${id}.jsonl`)
    Fs.writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(""))
    // Modification times rise with creation, four files sharing each: Codex's index bumps a tie
    // to later than every instant it has assigned so far, the index here only past its equals,
    // so out-of-order times would order differently (see docs/serve.md).
    const mtime = new Date(base + 3_600_000 + Math.floor(i / 4) * 1000)
    Fs.utimesSync(file, mtime, mtime)
  }
  return home
}

describe.skipIf(Codex.binary === undefined)(
  `rollout serve --stdio answers as codex app-server 0.171${Codex.binary === undefined ? ` (${missing})` : ""}`,
  () => {
    it("reads: listing pages and filters, thread/read, thread/turns/list, search and errors", async () => {
      const home = sampleHome("reads")
      // Codex builds a paginated thread's projection when it resumes it (no model is called).
      const resumer = await Codex.appServer(home)
      for (const threadId of paginated) await resumer.request("thread/resume", { threadId })
      await resumer.close()

      const first = await (async () => {
        const probe = await AppServer.start(home, { binary: rolloutLauncher(home) })
        try {
          return (await probe.request<{ nextCursor: string; backwardsCursor: string }>("thread/list", { limit: 3 })) as {
            nextCursor: string
            backwardsCursor: string
          }
        } finally {
          await probe.close()
        }
      })()
      const steps: Array<Step> = [
        list({}),
        list({ limit: 3 }),
        list({ limit: 3, cursor: first.nextCursor }),
        list({ limit: 3, sortDirection: "asc", cursor: first.backwardsCursor }),
        list({ limit: 2, sortKey: "updated_at" }),
        list({ limit: 2, sortKey: "recency_at" }),
        list({ limit: 3, sortKey: "created_at", sortDirection: "asc" }),
        list({ limit: 0 }),
        list({ limit: 1000 }),
        list({ sourceKinds: ["exec"] }),
        list({ sourceKinds: ["cli", "vscode", "exec", "appServer", "subAgent", "unknown"], limit: 4 }),
        list({ cwd: "/nowhere" }),
        list({ cwd: ["/tmp/rollout-oracle/workspace"], limit: 2 }),
        list({ modelProviders: [], limit: 2 }),
        list({ modelProviders: ["openai"] }),
        list({ searchTerm: "Hello" }),
        list({ archived: true }),
        list({ excludedThreadIds: [legacy[0]], limit: 3 }),
        list({ cursor: "bogus" }),
        list({ limit: -1 }),
        list({ originators: ["x"] }),
        ["thread/search", { searchTerm: "Hello", limit: 1 }],
        ["thread/search", {}],
        ...[...legacy, ...paginated].flatMap(
          (threadId): Array<Step> => [
            ["thread/read", { threadId }],
            ["thread/read", { threadId, includeTurns: true }],
            ["thread/turns/list", { threadId, limit: 1 }],
            ["thread/turns/list", { threadId, limit: 2, sortDirection: "asc", itemsView: "full" }],
            ["thread/turns/list", { threadId, itemsView: "notLoaded" }]
          ]
        ),
        ["thread/read", { threadId: unknown }],
        ["thread/read", { threadId: unknown, includeTurns: true }],
        ["thread/read", { threadId: "nope" }],
        ["thread/read", {}],
        ["thread/turns/list", { threadId: unknown }],
        ["thread/turns/list", { threadId: legacy[0], cursor: "not a cursor" }],
        ["thread/items/list", { threadId: legacy[0] }],
        ["thread/items/read", { threadId: legacy[0], turnId: "x", itemIds: [] }],
        ["thread/timeline/list", { threadId: legacy[0] }],
        ["thread/searchOccurrences", { threadId: legacy[0], searchTerm: "Hello" }]
      ]
      const { theirs, mine, theirNotes, myNotes } = await both(home, steps)
      expectSame(steps, theirs, mine)
      expect(myNotes).toEqual(theirNotes)
    }, 180_000)

    it("a generated home: every page of listings by each sort key, direction, source kind and filter", async () => {
      const home = generatedHome("generated")
      const every = ["cli", "vscode", "exec", "appServer", "subAgent", "subAgentReview", "subAgentCompact", "subAgentThreadSpawn", "subAgentOther", "unknown"]
      const walks = [
        { limit: 7 },
        { limit: 7, sortDirection: "asc" },
        { limit: 7, sortKey: "updated_at" },
        { limit: 7, sortKey: "updated_at", sortDirection: "asc" },
        // By recency only the sample home is compared: which tied thread Codex bumps first is its scan order.
        { limit: 9, sourceKinds: every, modelProviders: [] },
        { limit: 4, sourceKinds: ["subAgent"] },
        { limit: 4, sourceKinds: ["subAgentReview", "appServer"] },
        { limit: 4, sourceKinds: ["exec"], modelProviders: ["openai"] },
        { limit: 5, cwd: "/srv/app" },
        { limit: 5, cwd: ["/srv/app", "/home/ana/other"], sortKey: "updated_at" },
        { limit: 5, archived: true, sourceKinds: every },
        { limit: 5, searchTerm: "parser" }
      ]
      const steps: Array<Step> = [["thread/search", { searchTerm: "server", limit: 3 }]]
      const { theirs, mine } = await both(home, steps, walks)
      expect(theirs.length).toBeGreaterThan(walks.length + 10)
      expectSame(steps, theirs, mine)
    }, 180_000)

    it("changes: thread/name/set, thread/archive and thread/unarchive on a copy of the home", async () => {
      const home = sampleHome("changes")
      const [a, b] = legacy as [string, string]
      const steps: Array<Step> = [
        ["thread/name/set", { threadId: a, name: "Renamed by the oracle" }],
        ["thread/read", { threadId: a }],
        ["thread/archive", { threadId: a }],
        ["thread/archive", { threadId: a }],
        list({ archived: true }),
        list({ limit: 3 }),
        ["thread/read", { threadId: a }],
        ["thread/unarchive", { threadId: a }],
        ["thread/unarchive", { threadId: a }],
        ["thread/unarchive", { threadId: b }],
        ["thread/archive", { threadId: unknown }],
        ["thread/unarchive", { threadId: unknown }],
        ["thread/name/set", { threadId: unknown, name: "x" }],
        ["thread/name/set", { threadId: b }]
      ]
      const { theirs, mine, theirNotes, myNotes } = await both(home, steps)
      expectSame(steps, theirs, mine)
      expect(myNotes).toEqual(theirNotes)
      // Both renamed the same way: one appended line naming the thread.
      const names = Fs.readFileSync(Path.join(home.home, "session_index.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l))
      expect(names.at(-1)).toMatchObject({ id: a, thread_name: "Renamed by the oracle" })
    }, 180_000)
  }
)

/**
 * The JSON-RPC 2.0 side of `rollout serve`: one `Connection` per client (a stdio pair or a
 * WebSocket) takes the client's messages one text frame or line at a time and sends back answers
 * and notifications shaped exactly as `codex app-server` 0.171 writes them (`{"id","result"}`,
 * `{"error","id"}`, `{"method","params","emittedAtMs"}`, no `jsonrpc` member). Requests are
 * answered in order. It serves recorded threads only: methods that would run a model are refused.
 * Transport and access control are the servers' business, not this module's.
 */
import * as RpcError from "./RpcError.js"
import * as Sources from "./internal/Sources.js"
import * as ThreadMethods from "./internal/ThreadMethods.js"
import * as UserAgent from "./internal/UserAgent.js"

export interface Options extends Sources.Options {
  /** Where problems met while reading (a bad line) go; never the protocol stream. */
  readonly report?: (text: string) => void
}

export type Message = Record<string, unknown>

export interface Connection {
  /** Handles one incoming line or frame; resolves once its answer has been sent. */
  readonly receive: (text: string) => Promise<void>
}

type Handler = (ctx: ThreadMethods.Context, params: ThreadMethods.Params) => Promise<ThreadMethods.Json>

const handlers: Readonly<Record<string, Handler>> = {
  "thread/list": ThreadMethods.list,
  "thread/search": ThreadMethods.search,
  "thread/read": ThreadMethods.read,
  "thread/turns/list": ThreadMethods.turns,
  "thread/items/read": ThreadMethods.readItems,
  "thread/archive": ThreadMethods.archive,
  "thread/unarchive": ThreadMethods.unarchive,
  "thread/name/set": ThreadMethods.setName
}

/** Read methods of the 0.171 protocol that Codex itself answers as not built yet. */
const notYet: ReadonlySet<string> = new Set(["thread/items/list", "thread/timeline/list", "thread/searchOccurrences"])

/** Methods that start, continue or steer a model (or a command) and so have no recorded answer. */
const modelMethods: ReadonlySet<string> = new Set([
  "thread/start",
  "thread/resume",
  "thread/fork",
  "thread/compact/start",
  "thread/shellCommand",
  "thread/inject_items",
  "thread/rollback",
  "thread/revert",
  "turn/start",
  "turn/steer",
  "turn/interrupt",
  "review/start",
  "command/exec"
])

/** Every method this server knows, for the "unknown method" answer. */
export const methods: ReadonlyArray<string> = ["initialize", ...Object.keys(handlers), ...notYet, ...modelMethods]

export const make = (options: Options) => {
  const source = Sources.of(options)
  return (send: (message: Message) => void): Connection => {
    let initialized = false
    let queue: Promise<void> = Promise.resolve()
    const report = options.report ?? (() => {})

    const notification = (method: string, params: ThreadMethods.Json): Message => ({ method, params, emittedAtMs: Date.now() })

    const answer = async (id: unknown, method: string, params: ThreadMethods.Params): Promise<void> => {
      const later: Array<Message> = []
      const ctx: ThreadMethods.Context = {
        source,
        report,
        notify: (m, p) => send(notification(m, p)),
        after: (m, p) => later.push(notification(m, p))
      }
      try {
        send({ id, result: await call(ctx, method, params) })
        for (const m of later) send(m)
      } catch (e) {
        const error = e instanceof RpcError.RpcError ? { code: e.code, message: e.message } : { code: RpcError.INTERNAL_ERROR, message: String(e) }
        if (!(e instanceof RpcError.RpcError)) report(`rollout serve: ${method}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
        send({ error, id })
      }
    }

    const call = async (ctx: ThreadMethods.Context, method: string, params: ThreadMethods.Params): Promise<ThreadMethods.Json> => {
      if (method === "initialize") {
        if (initialized) throw RpcError.invalidRequest("Already initialized")
        initialized = true
        const client = (params["clientInfo"] ?? {}) as { name?: unknown; version?: unknown }
        return { userAgent: UserAgent.make(client), codexHome: source.home, ...UserAgent.platform() }
      }
      const handler = handlers[method]
      if (handler !== undefined) {
        if (!initialized) throw RpcError.invalidRequest("Not initialized")
        return handler(ctx, params)
      }
      if (notYet.has(method)) throw RpcError.notSupportedYet(method)
      if (modelMethods.has(method) || method.startsWith("command/exec")) throw RpcError.runsModels(method)
      throw RpcError.invalidRequest(
        `Invalid request: unknown variant \`${method}\`, expected one of the Codex app-server 0.171 methods; rollout serve answers ${methods.join(", ")}`
      )
    }

    const handle = async (text: string): Promise<void> => {
      let message: unknown
      try {
        message = JSON.parse(text)
      } catch {
        send({ error: { code: RpcError.PARSE_ERROR, message: "Parse error" }, id: null })
        return
      }
      if (typeof message !== "object" || message === null || Array.isArray(message)) {
        send({ error: { code: RpcError.INVALID_REQUEST, message: "Invalid request: expected a JSON-RPC object" }, id: null })
        return
      }
      const m = message as Message
      const method = m["method"]
      // A notification (`initialized`, ...) or a client's answer to a server request: nothing to say.
      if (m["id"] === undefined || typeof method !== "string") return
      const params = typeof m["params"] === "object" && m["params"] !== null ? (m["params"] as ThreadMethods.Params) : {}
      await answer(m["id"], method, params)
    }

    return {
      receive: (text) => {
        queue = queue.then(() => handle(text))
        return queue
      }
    }
  }
}

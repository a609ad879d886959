/**
 * A JSON-RPC 2.0 client for `codex app-server` over stdio (one JSON object per line): starts the
 * process in a Codex home, performs the `initialize` handshake, sends requests with timeouts and
 * keeps every notification so tests can wait for one (`turn/completed`, ...). It is a test oracle
 * client, not a general app-server SDK: requests the server makes of us (approvals) are refused.
 */
import * as ChildProcess from "node:child_process"
import * as Readline from "node:readline"
import type { CodexHome } from "./Codex.js"
import * as Processes from "./Processes.js"

export interface Notification {
  readonly method: string
  readonly params: any
}

/** A JSON-RPC error answered by the app-server, or a transport failure, with its stderr. */
export class AppServerError extends Error {
  override readonly name = "AppServerError"
  constructor(
    message: string,
    readonly method: string,
    readonly code: number | undefined,
    readonly stderr: string
  ) {
    super(`${method}: ${message}${stderr.length > 0 ? `\n--- codex app-server stderr (tail) ---\n${stderr.slice(-4000)}` : ""}`)
  }
}

export interface AppServer {
  /** Sends a request and resolves with its `result`; rejects with `AppServerError`. */
  readonly request: <R = any>(method: string, params?: unknown, timeoutMs?: number) => Promise<R>
  readonly notify: (method: string, params?: unknown) => void
  /** Every notification received so far, in order (a live array). */
  readonly notifications: ReadonlyArray<Notification>
  /** The first notification, past or future, with this method that satisfies the predicate. */
  readonly waitFor: (method: string, predicate?: (params: any) => boolean, timeoutMs?: number) => Promise<Notification>
  /** `turn/start` with one text input, then waits for that turn's `turn/completed`; returns the turn. */
  readonly runTurn: (threadId: string, text: string, timeoutMs?: number) => Promise<any>
  /** `turn/start` with one text input; resolves with the started turn without waiting for its end. */
  readonly startTurn: (threadId: string, text: string) => Promise<any>
  readonly stderr: () => string
  /** Closes stdin, then kills the process group if it has not exited within two seconds. */
  readonly close: () => Promise<void>
}

export interface Options {
  readonly binary: string
  /** The result for a request from the server (e.g. `item/tool/call`), or `undefined` to refuse it. */
  readonly answer?: (method: string, params: any) => unknown
  readonly clientName?: string
  readonly timeoutMs?: number
}

export const start = async (home: CodexHome, options: Options): Promise<AppServer> => {
  const defaultTimeout = options.timeoutMs ?? 30_000
  const child = ChildProcess.spawn(options.binary, ["app-server"], { cwd: home.workspace, env: home.env, stdio: ["pipe", "pipe", "pipe"], detached: true })
  const kill = Processes.track(child)
  let stderr = ""
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk
  })
  let exited: string | undefined
  const pending = new Map<number, { method: string; resolve: (value: any) => void; reject: (error: Error) => void }>()
  const notifications: Array<Notification> = []
  const waiters = new Set<() => void>()
  const fail = (reason: string) => {
    exited = reason
    kill()
    for (const [, call] of pending) call.reject(new AppServerError(reason, call.method, undefined, stderr))
    pending.clear()
    waiters.forEach((wake) => wake())
  }
  child.on("exit", (code, signal) => fail(`codex app-server exited (code ${code}, signal ${signal})`))
  child.on("error", (error) => fail(`codex app-server failed to start: ${error.message}`))
  // A write racing the process's exit fails with EPIPE; the exit handler reports it.
  child.stdin.on("error", () => {})

  const send = (message: object) => {
    if (exited !== undefined) throw new AppServerError(exited, "send", undefined, stderr)
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`)
  }

  Readline.createInterface({ input: child.stdout }).on("line", (line) => {
    let message: any
    try {
      message = JSON.parse(line)
    } catch {
      stderr += `[unparsable stdout line] ${line}\n`
      return
    }
    if (message.id !== undefined && message.method !== undefined) {
      // A request from the server (an approval, a dynamic tool call, ...): answered only when the
      // caller says how; the oracle never grants an approval.
      const result = options.answer?.(message.method, message.params)
      if (result !== undefined) send({ id: message.id, result })
      else send({ id: message.id, error: { code: -32601, message: `oracle client does not handle ${message.method}` } })
    } else if (message.id !== undefined) {
      const call = pending.get(message.id)
      pending.delete(message.id)
      if (message.error !== undefined)
        call?.reject(new AppServerError(message.error.message ?? JSON.stringify(message.error), call.method, message.error.code, stderr))
      else call?.resolve(message.result)
    } else if (typeof message.method === "string") {
      notifications.push({ method: message.method, params: message.params })
      waiters.forEach((wake) => wake())
    }
  })

  let nextId = 0
  const request = <R>(method: string, params?: unknown, timeoutMs = defaultTimeout): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const id = ++nextId
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new AppServerError(`no answer within ${timeoutMs} ms`, method, undefined, stderr))
      }, timeoutMs)
      pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        }
      })
      try {
        send({ id, method, ...(params === undefined ? {} : { params }) })
      } catch (error) {
        pending.get(id)?.reject(error as Error)
        pending.delete(id)
      }
    })

  const waitFor = (method: string, predicate: (params: any) => boolean = () => true, timeoutMs = defaultTimeout) =>
    new Promise<Notification>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const wake = () => {
        const found = notifications.find((n) => n.method === method && predicate(n.params))
        if (found === undefined && exited === undefined) return
        clearTimeout(timer)
        waiters.delete(wake)
        if (found !== undefined) resolve(found)
        else reject(new AppServerError(`${exited} while waiting for ${method}`, method, undefined, stderr))
      }
      timer = setTimeout(() => {
        waiters.delete(wake)
        reject(new AppServerError(`no ${method} notification within ${timeoutMs} ms`, method, undefined, stderr))
      }, timeoutMs)
      waiters.add(wake)
      wake()
    })

  const startTurn = async (threadId: string, text: string) => {
    const { turn } = await request<{ turn: any }>("turn/start", { threadId, input: [{ type: "text", text, text_elements: [] }] })
    return turn
  }

  const server: AppServer = {
    request,
    notify: (method, params) => send({ method, ...(params === undefined ? {} : { params }) }),
    notifications,
    waitFor,
    startTurn,
    runTurn: async (threadId, text, timeoutMs = defaultTimeout) => {
      const turn = await startTurn(threadId, text)
      const done = await waitFor("turn/completed", (p) => p.threadId === threadId && p.turn?.id === turn.id, timeoutMs)
      return done.params.turn
    },
    stderr: () => stderr,
    close: async () => {
      if (exited !== undefined) return
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()))
      child.stdin.end()
      const timer = setTimeout(() => kill(), 2_000)
      await gone
      clearTimeout(timer)
    }
  }
  try {
    await request("initialize", {
      clientInfo: { name: options.clientName ?? "rollout_oracle", title: "Rollout oracle", version: "0.1.0" },
      capabilities: { experimentalApi: true }
    })
    server.notify("initialized")
  } catch (error) {
    await server.close()
    throw error
  }
  return server
}

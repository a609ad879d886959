/**
 * A real HTTP server that plays a model provider speaking the OpenAI Responses API: every
 * `POST <base>/v1/responses` is answered from a script (`ModelScript.Turn`s, queued or computed
 * from the request) as a server-sent event stream, and every request is recorded with its parsed
 * body. Pointed at by Codex's `config.toml` it makes Codex write real rollouts without a network,
 * and the recorded bodies are the oracle for what Codex sends the model (for example after a
 * resume). It is not a model: it never looks at the input unless a `respond` function does.
 *
 * Anything else (`GET /v1/models`, a WebSocket upgrade, `/v1/responses/compact`) is recorded and
 * answered 404, which is what makes Codex fall back to plain HTTP streaming.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as ModelScript from "./ModelScript.js"

export interface RecordedRequest {
  /** Position among all requests this server received, from 0. */
  readonly index: number
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Http.IncomingHttpHeaders>
  /** The parsed JSON body; the raw text when it is not JSON; `undefined` when empty. */
  readonly body: unknown
  /** True for a WebSocket upgrade attempt (always refused with 404). */
  readonly upgrade: boolean
  /** The HTTP status answered. */
  readonly status: number
}

/** A `POST /v1/responses` request: the body is the model-visible request Codex built. */
export interface ModelRequest extends RecordedRequest {
  readonly body: ModelScript.JsonObject
  /** Position among the model requests, from 1 (it also numbers the default item ids). */
  readonly responseNumber: number
  /** The turn that was played, or undefined when the script had none left. */
  readonly turn: ModelScript.Turn | undefined
}

export interface Options {
  /** Defaults to 0: any free port. */
  readonly port?: number
  readonly host?: string
  /** Turns answered in order, one per model request. */
  readonly turns?: ReadonlyArray<ModelScript.Turn>
  /** Asked first for every model request; returning undefined takes the next queued turn. */
  readonly respond?: (request: Omit<ModelRequest, "turn" | "status">) => ModelScript.Turn | undefined | Promise<ModelScript.Turn | undefined>
}

export interface ScriptedModelServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string
  /** `url + "/v1"`: the provider `base_url` (Codex appends `/responses`). */
  readonly baseUrl: string
  readonly port: number
  /** Every request received so far, in arrival order (a live array, appended to). */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** The model requests answered so far, in the order their turns were chosen (a live array). */
  readonly modelRequests: ReadonlyArray<ModelRequest>
  /** Problems with the script itself (exhausted queue, a throwing `respond`): tests assert none. */
  readonly problems: ReadonlyArray<string>
  readonly enqueue: (...turns: ReadonlyArray<ModelScript.Turn>) => void
  /** Number of queued turns not yet played. */
  readonly pending: () => number
  /** Resolves once `count` model requests have arrived (in total), with all model requests so far. */
  readonly waitForModelRequests: (count: number, timeoutMs?: number) => Promise<ReadonlyArray<ModelRequest>>
  /** Stops listening and cuts every open connection, stalled streams included. */
  readonly close: () => Promise<void>
}

/** What the server has seen and has left to play. */
interface State {
  readonly options: Options
  readonly queue: Array<ModelScript.Turn>
  readonly requests: Array<RecordedRequest>
  readonly modelRequests: Array<ModelRequest>
  readonly problems: Array<string>
  /** Callers of `waitForModelRequests`, woken on every recorded request. */
  readonly waiters: Set<() => void>
  received: number
  modelCount: number
}

export const start = async (options: Options = {}): Promise<ScriptedModelServer> => {
  const host = options.host ?? "127.0.0.1"
  const state: State = {
    options,
    queue: [...(options.turns ?? [])],
    requests: [],
    modelRequests: [],
    problems: [],
    waiters: new Set(),
    received: 0,
    modelCount: 0
  }
  const server = Http.createServer((req, res) => onRequest(state, req, res))
  server.on("upgrade", (req, socket) => {
    record(state, {
      index: state.received++,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: undefined,
      upgrade: true,
      status: 404
    })
    socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${host}:${port}`
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests: state.requests,
    modelRequests: state.modelRequests,
    problems: state.problems,
    enqueue: (...turns) => {
      state.queue.push(...turns)
    },
    pending: () => state.queue.length,
    waitForModelRequests: (count, timeoutMs = 30_000) => waitForModelRequests(state, count, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

const record = (state: State, request: RecordedRequest): void => {
  state.requests.push(request)
  state.waiters.forEach((wake) => wake())
}

/** Reads the whole body, then routes: model requests are played, anything else is answered 404. */
const onRequest = (state: State, req: Http.IncomingMessage, res: Http.ServerResponse): void => {
  const chunks: Array<Buffer> = []
  req.on("data", (chunk: Buffer) => chunks.push(chunk))
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8")
    const base = { index: state.received++, method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body: parseBody(text), upgrade: false }
    const path = (req.url ?? "/").split("?")[0]
    if (req.method === "POST" && path === "/v1/responses") {
      if (isObject(base.body)) return void handleModel(state, base, base.body, Buffer.byteLength(text), res)
      state.problems.push(`model request ${base.index} has no JSON object body (content-encoding: ${req.headers["content-encoding"] ?? "none"})`)
      record(state, { ...base, status: 400 })
      return sendJson(res, 400, { error: { message: "scripted model: the body is not a JSON object", type: "invalid_request_error", code: null, param: null } })
    }
    record(state, { ...base, status: 404 })
    sendJson(res, 404, { error: { message: `scripted model: no route for ${req.method} ${path}`, type: "not_found", code: null, param: null } })
  })
}

const handleModel = async (state: State, base: Omit<RecordedRequest, "status">, body: ModelScript.JsonObject, bytes: number, res: Http.ServerResponse) => {
  const responseNumber = ++state.modelCount
  let turn: ModelScript.Turn | undefined
  try {
    turn = (await state.options.respond?.({ ...base, body, responseNumber })) ?? state.queue.shift()
    if (turn === undefined) state.problems.push(`no scripted turn left for model request ${responseNumber}`)
  } catch (error) {
    state.problems.push(`respond threw for model request ${responseNumber}: ${String(error)}`)
  }
  const status = turn === undefined ? 500 : turn.type === "http_error" ? turn.status : 200
  const request: ModelRequest = { ...base, body, responseNumber, turn, status }
  state.modelRequests.push(request)
  record(state, request)
  if (turn === undefined) {
    return sendJson(res, 500, { error: { message: `scripted model: no turn for request ${responseNumber}`, type: "server_error", code: null, param: null } })
  }
  play(turn, responseNumber, bytes, res)
}

const waitForModelRequests = (state: State, count: number, timeoutMs: number): Promise<ReadonlyArray<ModelRequest>> =>
  new Promise((resolve, reject) => {
    const modelRequests = state.modelRequests
    const done = () => modelRequests.length >= count
    if (done()) return resolve([...modelRequests])
    const timer = setTimeout(() => {
      state.waiters.delete(wake)
      reject(new Error(`scripted model: waited ${timeoutMs} ms for ${count} model requests, got ${modelRequests.length}`))
    }, timeoutMs)
    const wake = () => {
      if (!done()) return
      clearTimeout(timer)
      state.waiters.delete(wake)
      resolve([...modelRequests])
    }
    state.waiters.add(wake)
  })

/** Writes one scripted turn to the response. */
const play = (turn: ModelScript.Turn, responseNumber: number, requestBytes: number, res: Http.ServerResponse): void => {
  if (turn.type === "http_error") {
    const body = turn.body ?? { error: { message: `scripted HTTP ${turn.status}`, type: "scripted_error", code: null, param: null } }
    return sendJson(res, turn.status, body, turn.headers)
  }
  const responseId = turn.type === "response" && turn.id !== undefined ? turn.id : `resp_${responseNumber}`
  const output = (turn.items ?? []).map((item, index) => ModelScript.toOutputItem(item, responseNumber, index))
  const events: Array<ModelScript.Event> = [
    { type: "response.created", data: { type: "response.created", response: { id: responseId, object: "response", status: "in_progress", output: [] } } }
  ]
  output.forEach((item, index) => events.push(...ModelScript.itemEvents(item, index)))
  if (turn.type === "response") {
    const usage = ModelScript.encodeUsage(turn.usage, requestBytes, output)
    events.push({
      type: "response.completed",
      data: { type: "response.completed", response: { id: responseId, object: "response", status: "completed", output, usage } }
    })
  } else if (turn.type === "failed") {
    const error = { code: turn.code ?? "server_error", message: turn.message }
    events.push({
      type: "response.failed",
      data: { type: "response.failed", response: { id: responseId, object: "response", status: "failed", output, error } }
    })
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" })
  for (const event of events) res.write(ModelScript.encodeEvent(event))
  if (turn.type === "stall") return // ends when the client disconnects or the server closes
  res.end()
}

const sendJson = (res: Http.ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

const parseBody = (text: string): unknown => {
  if (text.length === 0) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

const isObject = (value: unknown): value is ModelScript.JsonObject => typeof value === "object" && value !== null && !Array.isArray(value)

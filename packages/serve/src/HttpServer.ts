/**
 * `rollout serve` over HTTP: a Hono app on Node's HTTP server, with the app-server protocol on
 * WebSocket (`ws`, one JSON-RPC message per text frame, as `codex app-server --listen ws://`).
 * Every request and upgrade passes `Access` (the token off loopback), a `Host` check (a page on
 * another site cannot reach a loopback server through DNS rebinding) and, for upgrades, an
 * `Origin` check (a page on another site cannot open the socket from a browser). The web app
 * (`WebApi`: the page, its files, `/api/...` and the live feed) sits behind the same checks. No
 * route takes a path: threads are named by id only, so nothing outside the home can be asked for.
 */
import type * as http from "node:http"
import type { AddressInfo } from "node:net"
import type { Duplex } from "node:stream"
import { createAdaptorServer } from "@hono/node-server"
import { Hono } from "hono"
import { WebSocketServer } from "ws"
import * as Access from "./Access.js"
import * as Dispatcher from "./Dispatcher.js"
import * as Page from "./internal/Page.js"
import * as WebApi from "./WebApi.js"

export interface Options extends Dispatcher.Options {
  readonly policy: Access.Policy
  readonly port: number
  /** How often the live feed looks at the home without a watch event (default 1000 ms). */
  readonly pollMs?: number
}

export interface Running {
  readonly url: string
  readonly port: number
  readonly close: () => Promise<void>
}

const RPC_PATHS: ReadonlySet<string> = new Set(["/", "/rpc"])

const hostName = (hostHeader: string | undefined): string => (hostHeader ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1")

/** On loopback, only loopback names may be in the Host header; elsewhere the token is the guard. */
const hostAllowed = (policy: Access.Policy, hostHeader: string | undefined): boolean =>
  !Access.isLoopback(policy.host) || Access.isLoopback(hostName(hostHeader))

/** The app: the checks, the health check, and the web app's routes (the placeholder page without them). */
export const app = (policy: Access.Policy, web?: Hono): Hono => {
  const hono = new Hono()
  hono.use("*", async (c, next) => {
    c.header("Content-Security-Policy", Page.CSP)
    c.header("X-Content-Type-Options", "nosniff")
    c.header("Referrer-Policy", "no-referrer")
    // The adapter builds the request URL from the Host header.
    if (!hostAllowed(policy, new URL(c.req.url).host)) return c.text("forbidden host\n", 403)
    // The app's own files carry no data, and its chunks import each other by plain URL.
    const open = web !== undefined && c.req.path.startsWith("/assets/")
    if (!open && !Access.allows(policy, c.req.header("authorization"), c.req.query("token"))) {
      c.header("WWW-Authenticate", "Bearer")
      return c.text("access token required\n", 401)
    }
    await next()
  })
  hono.get("/healthz", (c) => c.text("ok\n"))
  if (web === undefined) hono.get("/", (c) => c.html(Page.html))
  else hono.route("/", web)
  return hono
}

const refuse = (socket: Duplex, status: string): void => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** The origin's host, or undefined when the header is not a URL (`null`, garbage). */
const originHost = (origin: string): string | undefined => {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

const upgradeRefusal = (policy: Access.Policy, req: http.IncomingMessage): string | undefined => {
  const url = new URL(req.url ?? "/", "http://localhost")
  if (!RPC_PATHS.has(url.pathname)) return "404 Not Found"
  if (!hostAllowed(policy, req.headers.host)) return "403 Forbidden"
  const origin = req.headers.origin
  // A browser always sends Origin; it must be this server's own page, never another site's.
  if (origin !== undefined && originHost(origin) !== req.headers.host) return "403 Forbidden"
  if (!Access.allows(policy, req.headers.authorization, url.searchParams.get("token") ?? undefined)) return "401 Unauthorized"
  return undefined
}

export const start = (options: Options): Promise<Running> => {
  const web = WebApi.make(options)
  const server = createAdaptorServer({ fetch: app(options.policy, web.routes).fetch }) as http.Server
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  const dispatcher = Dispatcher.make(options)
  sockets.on("connection", (ws) => {
    const connection = dispatcher((message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    })
    ws.on("message", (data, isBinary) => {
      if (!isBinary) void connection.receive(data.toString())
    })
  })
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(options.policy, req)
    if (refusal !== undefined) return refuse(socket, refusal)
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit("connection", ws, req))
  })
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port, options.policy.host, () => {
      const port = (server.address() as AddressInfo).port
      const host = options.policy.host.includes(":") ? `[${options.policy.host}]` : options.policy.host
      resolve({
        url: `http://${host}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            web.close()
            for (const ws of sockets.clients) ws.terminate()
            sockets.close()
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

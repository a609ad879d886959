// `rollout serve` end to end: the real bin on a copy of the sample home. Over HTTP it prints
// `listening on http://HOST:PORT/` first (`--port 0` picks a free port), serves the web app's page
// (its own script and styles only, under a strict CSP), and answers the app-server protocol on WebSocket (one message per text
// frame) exactly as `rollout serve --stdio` answers it on stdio. Off loopback it needs the access
// token on every request and upgrade; on loopback it refuses foreign Host and Origin headers.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import * as readline from "node:readline"
import { afterAll, describe, expect, it } from "vitest"
import WebSocket from "ws"
import { bin, root } from "./Bin.js"

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "serve-e2e-"))
const home = path.join(scratch, "home")
fs.cpSync(path.join(root, "rollouts"), home, { recursive: true, preserveTimestamps: true })
// The samples were recorded with the `local` provider; Codex lists only the configured one.
fs.writeFileSync(path.join(home, "config.toml"), 'model_provider = "local"\n')
const index = path.join(scratch, "index.db")

const children: Array<ChildProcessWithoutNullStreams> = []
afterAll(() => {
  for (const child of children) child.kill()
  fs.rmSync(scratch, { recursive: true, force: true })
})

const serve = (...args: Array<string>) => {
  const child = spawn(process.execPath, [bin, "serve", "--codex-home", home, "--index", index, ...args], { stdio: ["pipe", "pipe", "pipe"] })
  children.push(child)
  return child
}

/** Starts the HTTP server and resolves with its first stdout lines (`listening on ...`, then any token). */
const listen = async (...args: Array<string>): Promise<{ url: string; token: string | undefined; child: ChildProcessWithoutNullStreams }> => {
  const child = serve("--port", "0", ...args)
  const lines = readline.createInterface({ input: child.stdout })
  const it = lines[Symbol.asyncIterator]()
  const first = (await it.next()).value as string
  const match = /^listening on (http:\/\/[^ ]+\/)$/.exec(first)
  if (match?.[1] === undefined) throw new Error(`unexpected first line: ${first}`)
  const token = args.includes("--token") || !args.includes("--host") ? undefined : /^access token: (\S+)$/.exec((await it.next()).value as string)?.[1]
  return { url: match[1], token, child }
}

type Message = Record<string, unknown>

const requests: ReadonlyArray<Message> = [
  { id: 1, method: "initialize", params: { clientInfo: { name: "e2e", title: "E2E", version: "1.0.0" } } },
  { method: "initialized" },
  { id: 2, method: "thread/list", params: { limit: 3 } },
  { id: 3, method: "thread/read", params: { threadId: "01a1fb98-3e76-7a42-a25c-af3950c41fdb", includeTurns: true } },
  { id: 4, method: "thread/turns/list", params: { threadId: "01a1fb98-4432-78a1-8ef4-228e18981ede", limit: 1 } },
  { id: 5, method: "thread/read", params: { threadId: "01a1fb98-0000-7a42-a25c-af3950c41fdb" } },
  { id: 6, method: "turn/start", params: { threadId: "01a1fb98-3e76-7a42-a25c-af3950c41fdb", input: [] } }
]
const answered = requests.filter((r) => r["id"] !== undefined).length

/** The same requests over stdio: one line each way. */
const overStdio = async (): Promise<Array<Message>> => {
  const child = serve("--stdio")
  const out: Array<Message> = []
  const done = new Promise<void>((resolve) => {
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      out.push(JSON.parse(line))
      if (out.length === answered) resolve()
    })
  })
  for (const r of requests) child.stdin.write(`${JSON.stringify(r)}\n`)
  await done
  child.stdin.end()
  return out
}

/** The same requests over a WebSocket, one text frame each. */
const overSocket = async (url: string, headers: Record<string, string> = {}): Promise<Array<Message>> => {
  const ws = new WebSocket(url, { headers })
  const out: Array<Message> = []
  await new Promise<void>((resolve, reject) => {
    ws.on("open", () => {
      for (const r of requests) ws.send(JSON.stringify(r))
    })
    ws.on("message", (data) => {
      out.push(JSON.parse(data.toString()))
      if (out.length === answered) resolve()
    })
    ws.on("error", reject)
  })
  ws.close()
  return out
}

/** A GET with a Host header of our choosing (fetch does not let a caller set one). */
const statusWithHost = (url: string, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      .on("error", reject)
  })

/** Whether a WebSocket upgrade is refused, and with which HTTP status. */
const upgradeStatus = (url: string, headers: Record<string, string> = {}): Promise<number> =>
  new Promise((resolve) => {
    const ws = new WebSocket(url, { headers })
    ws.on("open", () => {
      ws.close()
      resolve(101)
    })
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0))
    ws.on("error", () => resolve(0))
  })

describe("rollout serve (HTTP and WebSocket)", () => {
  it("answers on WebSocket exactly as on stdio, and serves the app's page with no inline script", async () => {
    const { url, child } = await listen()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const stdio = await overStdio()
    const socket = await overSocket(url.replace(/^http/, "ws"))
    expect(socket).toEqual(stdio)
    expect(stdio.find((m) => m["id"] === 2)).toMatchObject({ result: { data: [{}, {}, {}] } })
    expect(stdio.find((m) => m["id"] === 5)).toEqual({ error: { code: -32600, message: "thread not loaded: 01a1fb98-0000-7a42-a25c-af3950c41fdb" }, id: 5 })
    expect(JSON.stringify(stdio.find((m) => m["id"] === 6))).toContain("does not run models")

    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self'; style-src 'self'")
    const html = await page.text()
    // One script, from this server; nothing inline.
    expect(html.match(/<script[^>]*>/gi)).toEqual(['<script type="module" src="/assets/app.js">'])
    expect(html).not.toMatch(/<script[^>]*>[^<]|\son\w+=|\sstyle=/i)
    child.kill()
  }, 60_000)

  it("on loopback, refuses a foreign Host header and a foreign page's WebSocket", async () => {
    const { url, child } = await listen()
    const port = new URL(url).port
    expect(await statusWithHost(url, `evil.example:${port}`)).toBe(403)
    expect(await statusWithHost(url, `localhost:${port}`)).toBe(200)
    const ws = url.replace(/^http/, "ws")
    expect(await upgradeStatus(ws, { origin: "http://evil.example" })).toBe(403)
    expect(await upgradeStatus(ws, { origin: `http://127.0.0.1:${port}` })).toBe(101)
    expect(await upgradeStatus(`${ws}not-rpc`)).toBe(404)
    child.kill()
  }, 60_000)

  it("off loopback, refuses every request without the generated access token", async () => {
    const { url, token, child } = await listen("--host", "0.0.0.0")
    expect(token).toMatch(/^[\w-]{32,}$/)
    const local = url.replace("0.0.0.0", "127.0.0.1")
    expect((await fetch(local)).status).toBe(401)
    expect((await fetch(local, { headers: { authorization: "Bearer wrong-token-value" } })).status).toBe(401)
    expect((await fetch(local, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    expect((await fetch(`${local}?token=${token}`)).status).toBe(200)
    // The API refuses requests without the token; the app's own files (no data) need none.
    expect((await fetch(`${local}api/threads`)).status).toBe(401)
    expect((await fetch(`${local}api/events`)).status).toBe(401)
    expect((await fetch(`${local}api/threads?token=${token}`)).status).toBe(200)
    expect((await fetch(`${local}assets/app.js`)).status).toBe(200)
    const ws = local.replace(/^http/, "ws")
    expect(await upgradeStatus(ws)).toBe(401)
    const answers = await overSocket(`${ws}?token=${token}`)
    expect(answers.find((m) => m["id"] === 2)).toMatchObject({ result: { data: [{}, {}, {}] } })
    child.kill()
  }, 60_000)

  it("off loopback with --token, requires that token", async () => {
    const { url, child } = await listen("--host", "0.0.0.0", "--token", "a-chosen-token-1234")
    const local = url.replace("0.0.0.0", "127.0.0.1")
    expect((await fetch(local)).status).toBe(401)
    expect((await fetch(local, { headers: { authorization: "Bearer a-chosen-token-1234" } })).status).toBe(200)
    child.kill()
  }, 60_000)
})

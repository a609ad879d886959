// The real Codex as a benchmark peer: its launcher (from the test workspace's @openai/codex) and a
// JSON-RPC session with a warm `codex app-server`, timed from sending a request to the last byte
// of its answer. The answer is not parsed while timed: that cost would be ours, not Codex's.
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))

/** Codex's launcher, found in a node_modules above this folder, or undefined. */
export const codexBinary = () => {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", ".bin", "codex")
    if (fs.existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}

export const codexVersion = (codex) => spawnSync(codex, ["--version"], { encoding: "utf8" }).stdout.trim()

/** A session with `codex app-server` under `env`; `request` resolves with the answer line (a Buffer). */
export const appServer = async (codex, env) => {
  const child = spawn(codex, ["app-server"], { env, stdio: ["pipe", "pipe", "ignore"], detached: true })
  const waiting = new Map()
  let buffered = []
  child.stdout.on("data", (chunk) => {
    let start = 0
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      buffered.push(chunk.subarray(start, nl))
      const line = Buffer.concat(buffered)
      buffered = []
      start = nl + 1
      const m = /^\{"id":(\d+),/.exec(line.subarray(0, 32).toString("latin1"))
      if (m !== null) waiting.get(Number(m[1]))?.(line)
    }
    if (start < chunk.length) buffered.push(chunk.subarray(start))
  })
  let next = 0
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      const n = ++next
      const timer = setTimeout(() => reject(new Error(`codex app-server: no answer to ${method} in 900 s`)), 900_000)
      waiting.set(n, (line) => {
        clearTimeout(timer)
        waiting.delete(n)
        resolve(line)
      })
      child.stdin.write(`${JSON.stringify({ id: n, method, params })}\n`)
    })
  await request("initialize", { clientInfo: { name: "rollout_bench", title: "rollout bench", version: "0.1.0" }, capabilities: { experimentalApi: true } })
  child.stdin.write(`${JSON.stringify({ method: "initialized" })}\n`)
  /** One timed request: wall seconds and the answer. */
  const timed = async (method, params) => {
    const t0 = process.hrtime.bigint()
    const line = await request(method, params)
    return { wall: Number(process.hrtime.bigint() - t0) / 1e9, line }
  }
  const close = () => {
    child.stdin.end()
    try {
      process.kill(-child.pid, "SIGKILL")
    } catch {}
  }
  return { request, timed, close }
}

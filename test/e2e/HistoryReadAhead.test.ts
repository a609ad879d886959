// `rollout history` on a rollout large enough to be read ahead in a second thread (the built bin
// does; the same command in-process from the TypeScript sources reads in one thread): both must
// print the same bytes and report the same problems. The rollout repeats the history fixtures'
// lines (every item type, rollbacks, compaction, model changes) with bad lines mixed in.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as ReadAhead from "@rollout/query/ReadAhead"
import * as Files from "@rollout/log/Files"
import { bin, inProcess, root } from "./Bin.js"
import { spawnSync } from "node:child_process"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-read-ahead-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const history = path.join(root, "fixtures/history")
const body = fs
  .readdirSync(history)
  .filter((c) => fs.existsSync(path.join(history, c, "input.jsonl")) && !fs.existsSync(path.join(history, c, "options.json")))
  .sort()
  .flatMap((c) => fs.readFileSync(path.join(history, c, "input.jsonl"), "utf8").split("\n"))
  .filter((l) => l.trim() !== "" && !l.includes('"type":"session_meta"'))

/**
 * Lines past `ReadAhead.LONG_LINE_BYTES`, which the worker leaves to the fold's thread: one each that
 * the fold decodes, counts, cannot parse, and cannot decode from UTF-8 (all with a readable envelope).
 */
const longLines = (): ReadonlyArray<Buffer> => {
  const text = "a long line ".repeat(Math.ceil((ReadAhead.LONG_LINE_BYTES * 1.5) / 12))
  const head = (tag: string) => `{"timestamp":"2026-07-14T07:05:00.000Z","type":"event_msg","payload":{"type":"${tag}"`
  const notUtf8 = Buffer.concat([Buffer.from(`${head("agent_message")},"message":"${text}`), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')])
  return [
    `${head("agent_message")},"message":"${text}"}}`,
    `{"timestamp":"2026-07-14T07:05:00.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"${text}"}}`,
    `${head("agent_message")},"message":"${text}" oops}}`
  ]
    .map((line) => Buffer.from(line))
    .concat(notUtf8)
}

/**
 * Rounds that carry two bad lines: spread over the file (the read-ahead's buffers) but few enough
 * that every diagnostic is printed (commands show the first 20, then count the rest).
 */
const bad = (round: number): boolean => round % 400 === 0

/** One session_meta, then the fixtures' lines over and over (with bad lines) past `ReadAhead.MIN_BYTES`, ending torn. */
const writeRollout = (file: string): void => {
  const meta = fs.readFileSync(path.join(history, "implicit-turns", "input.jsonl"), "utf8").split("\n")[0] as string
  const fd = fs.openSync(file, "w")
  fs.writeSync(fd, `\ufeff${meta}\n`)
  let size = 0
  for (let round = 0; size < ReadAhead.MIN_BYTES + (1 << 20); round++) {
    const chunk = `${body
      .map((l, i) =>
        !bad(round)
          ? l
          : i === 7
            ? `{"not json ${round}\n${l}`
            : i === 11
              ? `{"type":"event_msg","payload":{"type":"user_message","message":${round}}}\n\n${l}`
              : l
      )
      .join("\n")}\n`
    fs.writeSync(fd, chunk)
    size += Buffer.byteLength(chunk)
  }
  for (const line of longLines()) fs.writeSync(fd, Buffer.concat([line, Buffer.from("\n")]))
  fs.writeSync(fd, '{"timestamp":"2026-07-14T07:06:00.000Z","type":"event_msg","payload":{"type":"agent_mess')
  fs.closeSync(fd)
}

describe("rollout history on a large rollout, read ahead in a second thread", () => {
  it("prints exactly what the one-thread read prints, with the same diagnostics", async () => {
    const file = path.join(dir, "rollout-2026-07-14T07-06-00-0198f2a4-5b6c-7d8e-9f00-112233445566.jsonl")
    writeRollout(file)
    // The built bin has the worker and the file is large enough, so the bin reads ahead.
    expect(fs.existsSync(path.join(root, "packages/query/dist/internal/ReadAheadWorker.js"))).toBe(true)
    expect(fs.statSync(file).size).toBeGreaterThan(ReadAhead.MIN_BYTES)
    // In-process, this test runs the TypeScript sources, which have no compiled worker: one thread.
    expect(await ReadAhead.available(Files.node, file)).toBe(false)
    const ahead = spawnSync(process.execPath, [bin, "history", file, "--json"], { encoding: "utf8", maxBuffer: 1 << 30 })
    const here = await inProcess("history", file, "--json")
    expect(ahead.status, ahead.stderr.slice(0, 500)).toBe(0)
    expect(here.status).toBe(0)
    expect(ahead.stdout.length).toBeGreaterThan(1 << 20)
    expect(ahead.stdout === here.stdout).toBe(true)
    expect(ahead.stderr).toBe(here.stderr)
    // Not vacuous: the bad lines were reported (BOM, JSON, schema, torn tail), every one of them shown.
    expect(here.stderr).not.toContain("more diagnostic")
    for (const kind of ["bom", "invalid_json", "invalid_payload", "truncated_line", "invalid_utf8"]) expect(here.stderr).toContain(`: ${kind}: `)
    // The long lines, read by the fold's thread: the decoded one is in the answer, the bad ones reported.
    expect(ahead.stdout.includes(`"text":"a long line a long line`)).toBe(true)
    expect(here.stderr).toMatch(/: invalid_json: not JSON \([^)]* position \d{7}/)
    // Two reads of 33 MiB (one from the TypeScript sources): 15 s quiet; 84 s on a loaded machine when every bad round printed its lines.
  }, 240_000)
})

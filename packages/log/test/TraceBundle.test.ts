import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Files from "@rollout/log/Files"
import * as TraceBundle from "@rollout/log/TraceBundle"

const manifest = JSON.stringify({
  schema_version: 1,
  trace_id: "t",
  rollout_id: "r",
  root_thread_id: "T0",
  started_at_unix_ms: 1,
  raw_event_log: "trace.jsonl",
  payloads_dir: "payloads"
})
const started =
  '{"schema_version":1,"seq":1,"wall_time_unix_ms":2,"rollout_id":"r","thread_id":null,"codex_turn_id":null,"payload":{"type":"rollout_started","trace_id":"t","root_thread_id":"T0"}}'
const thread = (ref: string) =>
  `{"seq":2,"wall_time_unix_ms":3,"payload":{"type":"thread_started","thread_id":"T0","agent_path":"/root","metadata_payload":{"raw_payload_id":"raw_payload:${ref}","kind":{"type":"session_metadata"},"path":"payloads/${ref}.json"}}}`

const read = async (files: Record<string, Uint8Array | string>) => TraceBundle.read(Files.memory(files), "/b")

describe("TraceBundle.read", () => {
  it("given a bundle, when read, then it holds the manifest, every line in order and the payloads its events reference", async () => {
    const b = await read({
      "/b/manifest.json": manifest,
      "/b/trace.jsonl": `${started}\n\n${thread("1")}\n`,
      "/b/payloads/1.json": '{"model":"m"}',
      "/b/payloads/7.json": "{}"
    })
    if (Result.isFailure(b)) throw b.failure
    expect(b.success.manifest.trace_id).toBe("t")
    expect(b.success.lines.map((l) => [l._tag, l.line])).toEqual([
      ["Event", 1],
      ["Event", 3]
    ])
    expect([...b.success.payloads.keys()]).toEqual(["payloads/1.json"])
  })

  it("given lines that are not JSON, not events, have a BOM or are not UTF-8, when read, then each is kept as an unparsable or unreadable line where it stands", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`\ufeff${started}\n{"seq":2}\n[1]\n`),
      Buffer.from([0x22, 0xff, 0x22, 0x0a]),
      Buffer.from(`${thread("2")}\n{"torn":`)
    ])
    const b = await read({ "/b/manifest.json": manifest, "/b/trace.jsonl": bytes })
    if (Result.isFailure(b)) throw b.failure
    expect(b.success.lines.map((l) => [l._tag, l.line])).toEqual([
      ["Unparsable", 1],
      ["Unparsable", 2],
      ["Unparsable", 3],
      ["Unreadable", 4],
      ["Event", 5],
      ["Unparsable", 6]
    ])
    // A referenced payload that is missing is left for the reducer to report when it reads it.
    expect(b.success.payloads.size).toBe(0)
  })

  it.each([
    ["no directory", {}, "BundleNotFound", "/b: no such bundle directory"],
    ["no manifest", { "/b/trace.jsonl": started }, "MalformedBundle", "read /b/manifest.json"],
    ["a manifest that is not one", { "/b/manifest.json": '{"trace_id":1}', "/b/trace.jsonl": started }, "MalformedBundle", "read /b/manifest.json"],
    ["no event log", { "/b/manifest.json": manifest }, "MalformedBundle", "open trace event log /b/trace.jsonl"]
  ])("given %s, when read, then it fails with Codex's driver message", async (_, files, tag, message) => {
    const b = await read(files)
    expect(Result.isFailure(b) ? [b.failure._tag, b.failure.message.slice(0, message.length)] : "ok").toEqual([tag, message])
  })
})

import * as fs from "node:fs"
import * as path from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as WriterVersion from "@rollout/protocol/WriterVersion"

const matrix = path.resolve(import.meta.dirname, "../../../fixtures/matrix")
const linesOf = (version: string, c: string): Array<Record<string, unknown>> =>
  fs
    .readFileSync(path.join(matrix, version, c, "input.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l))
const metadataKeys = (lines: ReadonlyArray<Record<string, unknown>>) =>
  lines.flatMap((l) => {
    if (l["type"] === "response_item") return [Object.keys(l["metadata"] as object)]
    const entries = l["type"] === "compacted" ? (l["payload"] as { replacement_history_metadata?: Array<object> }).replacement_history_metadata : undefined
    return (entries ?? []).map((e) => Object.keys(e))
  })

describe("WriterVersion", () => {
  it.each(["app-legacy-compaction", "exec-every-item", "app-paginated-mcp"])(
    "%s: shaped as 0.171, what 0.169 wrote has 0.171's metadata fields, and back",
    (c) => {
      const old = linesOf("0.169.0", c)
      const newer = linesOf("0.171.0", c)
      const asNewer = old.map((l) => WriterVersion.shape("0.171.0", l))
      // Field for field what the real 0.171 wrote for the same script (values differ: ids, times).
      expect(metadataKeys(asNewer)).toEqual(metadataKeys(newer))
      expect(metadataKeys(newer.map((l) => WriterVersion.shape("0.169.0", l)))).toEqual(metadataKeys(old))
      expect(asNewer.map((l) => WriterVersion.shape("0.169.0", l))).toEqual(
        old.map((l) => ({ ...l, ...(l["type"] === "session_meta" ? { payload: { ...(l["payload"] as object), cli_version: "0.169.0" } } : {}) }))
      )
    }
  )

  it("names the release in session_meta and leaves other lines as they are (the same object)", () => {
    const meta = { timestamp: "t", type: "session_meta", payload: { id: "x", cli_version: "0.169.0", source: "exec" } }
    expect(WriterVersion.shape("0.171.0", meta)).toEqual({ ...meta, payload: { ...meta.payload, cli_version: "0.171.0" } })
    expect(WriterVersion.shape("0.169.0", meta)).toBe(meta)
    const event = { timestamp: "t", type: "event_msg", payload: { type: "task_started", metadata: { model_search_state: "unused" } } }
    expect(WriterVersion.shape("0.169.0", event)).toBe(event)
  })

  it("is idempotent, and 0.169 after 0.171 restores metadata that had no model_search_state", () => {
    const metadata = fc.dictionary(
      fc.constantFrom("history_sequence", "sampled_through_sequence", "client_authored", "user_input_order", "mcp_attribution"),
      fc.jsonValue()
    )
    fc.assert(
      fc.property(metadata, fc.constantFrom(...WriterVersion.versions), (m, v) => {
        const line = { timestamp: "t", type: "response_item", payload: { type: "message" }, metadata: m }
        const once = WriterVersion.shape(v, line)
        expect(WriterVersion.shape(v, once)).toBe(once)
        expect(WriterVersion.shape("0.169.0", WriterVersion.shape("0.171.0", line))).toEqual(line)
      })
    )
  })
})

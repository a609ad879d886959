/**
 * Tool calls as statistics count them: one call per call id, whichever lines describe it (the
 * model's `function_call` / `custom_tool_call` response item, its output, and the `*_end` events or
 * paginated `item_completed` items that carry the status and duration). The tracker holds only the
 * calls of the open turn and folds them into per-tool totals when the turn ends, so memory stays
 * bounded by one turn. Plain data and pure helpers over it; it reads no files.
 */
import * as Duration from "@rollout/protocol/Duration"

export interface ToolStats {
  readonly calls: number
  readonly failures: number
  /** Calls whose duration is known, and their summed and longest duration in milliseconds. */
  readonly timedCalls: number
  readonly durationMs: number
  readonly maxMs: number
}

export const emptyTool: ToolStats = { calls: 0, failures: 0, timedCalls: 0, durationMs: 0, maxMs: 0 }

export const addTool = (a: ToolStats, b: ToolStats): ToolStats => ({
  calls: a.calls + b.calls,
  failures: a.failures + b.failures,
  timedCalls: a.timedCalls + b.timedCalls,
  durationMs: a.durationMs + b.durationMs,
  maxMs: Math.max(a.maxMs, b.maxMs)
})

/** What is known about one call so far. `named` once the model's own call item gave the name. */
export interface Call {
  tool: string
  named: boolean
  /** The statistics bucket (day and model) of the line that first mentioned the call. */
  readonly bucket: string
  failed: boolean
  durationMs: number | null
}

/** A `{"secs","nanos"}` duration in whole milliseconds. */
export const millis = Duration.millisOf

const EXIT = /Process exited with code (-?\d+)/
const WALL = /Wall time: ([0-9.]+) seconds/

/**
 * Failure and duration read from a tool output's text. Unified exec (`exec_command`) writes
 * `Process exited with code N` and `Wall time: S seconds` into the output the model sees; that is
 * the only record of them in a legacy rollout, where `exec_command_end` is not persisted.
 */
export const fromOutputText = (text: string): { readonly failed: boolean; readonly durationMs: number | null } => {
  // Both lines are in the header Codex puts before the command's output; do not scan the output.
  const head = text.length > 512 ? text.slice(0, 512) : text
  const exit = EXIT.exec(head)
  const wall = WALL.exec(head)
  return {
    failed: exit !== null && exit[1] !== "0",
    durationMs: wall === null || wall[1] === undefined ? null : Math.round(Number(wall[1]) * 1000)
  }
}

/** The text of a function-call output payload (a string, content items, or the legacy object). */
export const outputText = (output: unknown): { readonly text: string; readonly success: boolean | null } => {
  if (typeof output === "string") return { text: output, success: null }
  if (Array.isArray(output)) {
    const text = output.map((c) => (typeof c === "object" && c !== null && typeof c.text === "string" ? c.text : "")).join("\n")
    return { text, success: null }
  }
  if (typeof output === "object" && output !== null) {
    const o = output as { content?: unknown; success?: unknown }
    return { text: typeof o.content === "string" ? o.content : "", success: typeof o.success === "boolean" ? o.success : null }
  }
  return { text: "", success: null }
}

/** The calls of the open turn, by call id. */
export class Tracker {
  private open = new Map<string, Call>()
  /** Web search calls seen from one side only (see webSearchItem), in order. */
  private unpairedItems: Array<string> = []
  private unpairedEnds: Array<string> = []

  /** The call with this id, created (under `tool`, in `bucket`) when first seen. */
  touch(callId: string, tool: string, bucket: string, named: boolean): Call {
    let call = this.open.get(callId)
    if (call === undefined) {
      call = { tool, named, bucket, failed: false, durationMs: null }
      this.open.set(callId, call)
    } else if (named && !call.named) {
      // The model's call item names the tool as the model saw it; an event's default gives way.
      call.tool = tool
      call.named = true
    }
    return call
  }

  /** Records what an output or end event says about a call; a known duration is not replaced. */
  settle(callId: string, tool: string, bucket: string, failed: boolean, durationMs: number | null): void {
    const call = this.touch(callId, tool, bucket, false)
    if (failed) call.failed = true
    if (call.durationMs === null && durationMs !== null) call.durationMs = durationMs
  }

  /**
   * A `web_search_call` response item. Codex long persisted it without its `id`, so it and its
   * `web_search_end` event (which has the call id) describe one search that no id joins: an
   * id-less item is paired with the oldest end event still unpaired in the turn, or waits for the
   * next one. Returns the call, to mark a failure on.
   */
  webSearchItem(id: string | undefined, fallbackKey: string, bucket: string): Call {
    if (id !== undefined) {
      this.unpairedEnds = this.unpairedEnds.filter((k) => k !== id)
      return this.touch(id, "web_search", bucket, true)
    }
    const end = this.unpairedEnds.shift()
    if (end !== undefined) return this.touch(end, "web_search", bucket, true)
    const key = `${fallbackKey}#${this.open.size}`
    this.unpairedItems.push(key)
    return this.touch(key, "web_search", bucket, true)
  }

  /** A `web_search_end` event: the call of the same id, else the oldest id-less item waiting for one. */
  webSearchEnd(callId: string, bucket: string): void {
    if (this.open.has(callId)) return this.settle(callId, "web_search", bucket, false, null)
    const item = this.unpairedItems.shift()
    if (item !== undefined) return this.settle(item, "web_search", bucket, false, null)
    this.unpairedEnds.push(callId)
    this.settle(callId, "web_search", bucket, false, null)
  }

  /** Calls open now; a file without turn events would otherwise keep every call open to its end. */
  get size(): number {
    return this.open.size
  }

  /** Hands every open call to `emit` and forgets them (at a turn's end and at the file's end). */
  drain(emit: (call: Call) => void): void {
    for (const call of this.open.values()) emit(call)
    this.open = new Map()
    this.unpairedItems = []
    this.unpairedEnds = []
  }
}

/** The tool a paginated `item_completed` item stands for, or undefined when it is not a tool call. */
export const itemTool = (item: Record<string, unknown>): string | undefined => {
  switch (item["type"]) {
    case "CommandExecution":
      return "exec_command"
    case "FileChange":
      return "apply_patch"
    case "McpToolCall": {
      const server = item["server"]
      const tool = item["tool"]
      return typeof server === "string" && typeof tool === "string" ? `${server}.${tool}` : "mcp"
    }
    case "DynamicToolCall":
      return typeof item["tool"] === "string" ? item["tool"] : "dynamic_tool"
    case "WebSearch":
      return "web_search"
    case "ImageGeneration":
      return "image_generation"
    case "ImageView":
      return "view_image"
    case "CollabAgentToolCall":
      return typeof item["tool"] === "string" ? item["tool"] : "collab_agent"
    default:
      return undefined
  }
}

const FAILED: ReadonlySet<unknown> = new Set(["failed", "declined", "errored"])

/** Whether a paginated tool item (or any end event's fields) says the call failed. */
export const itemFailed = (item: Record<string, unknown>): boolean =>
  FAILED.has(item["status"]) ||
  item["success"] === false ||
  (typeof item["exit_code"] === "number" && item["exit_code"] !== 0) ||
  (typeof item["exitCode"] === "number" && item["exitCode"] !== 0)

/** A paginated tool item's duration: its own field, else the event's start and end instants. */
export const itemMillis = (item: Record<string, unknown>, startedAtMs: number | undefined, completedAtMs: number | undefined): number | null => {
  const own = millis(item["duration"])
  if (own !== null) return own
  if (typeof item["duration_ms"] === "number") return item["duration_ms"]
  if (typeof item["durationMs"] === "number") return item["durationMs"]
  return startedAtMs !== undefined && completedAtMs !== undefined && startedAtMs > 0 && completedAtMs >= startedAtMs ? completedAtMs - startedAtMs : null
}

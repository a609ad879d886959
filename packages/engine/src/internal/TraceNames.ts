/**
 * How the engine's trace names things: ids that are pure functions of a key (so a scripted run
 * writes the same bundle twice), the Responses id prefix Codex gives an item it creates, the tool
 * kind of a tool name, and the short previews of tool arguments. Pure; the recorder is `ThreadTrace`.
 */
import * as Crypto from "node:crypto"
import type * as TraceEvent from "@rollout/protocol/TraceEvent"

/** A UUIDv4-shaped id that is a pure function of `key`. */
export const uuidv4 = (key: string): string => {
  const b = Crypto.createHash("sha256").update(key).digest().subarray(0, 16)
  b[6] = 0x40 | ((b[6] as number) & 0x0f)
  b[8] = 0x80 | ((b[8] as number) & 0x3f)
  const hex = b.toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Codex's id prefix for an item it creates (the model's items come with their own id). */
export const itemPrefix = (item: { readonly [key: string]: unknown }): string => {
  switch (item["type"]) {
    case "message":
      return "msg"
    case "function_call_output":
      return "fco"
    case "function_call":
      return "fc"
    case "reasoning":
      return "rs"
    default:
      return "item"
  }
}

/** Tool kind by tool name (§2.6.2). */
export const toolKind = (name: string): TraceEvent.ToolCallKind => {
  switch (name) {
    case "exec_command":
    case "local_shell":
    case "shell":
    case "shell_command":
      return { type: "exec_command" }
    case "write_stdin":
      return { type: "write_stdin" }
    case "apply_patch":
      return { type: "apply_patch" }
    case "web_search":
    case "web_search_preview":
      return { type: "web" }
    case "image_generation":
    case "image_query":
    case "imagegen":
      return { type: "image_generation" }
    case "spawn_agent":
      return { type: "spawn_agent" }
    case "send_message":
      return { type: "send_message" }
    case "followup_task":
    case "assign_task":
      return { type: "assign_agent_task" }
    case "wait_agent":
      return { type: "wait_agent" }
    case "close_agent":
    case "interrupt_agent":
      return { type: "close_agent" }
    default:
      return { type: "other", name }
  }
}

/** The first 160 Unicode scalar values, `...` appended when longer. */
export const preview = (text: string): string => {
  const chars = [...text]
  return chars.length > 160 ? `${chars.slice(0, 160).join("")}...` : text
}

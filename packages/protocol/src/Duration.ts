/**
 * Duration: a Rust `std::time::Duration` as serde writes it, `{"secs":N,"nanos":N}` (that order),
 * used by tool events (`exec_command_end`, `mcp_tool_call_end`, `dynamic_tool_call_response`).
 * It is not the `duration_ms` integer fields of turn events, which are plain milliseconds.
 */
import * as Wire from "./Wire.js"

export const Duration = Wire.struct({ secs: Wire.Int, nanos: Wire.Int })
export type Duration = typeof Duration.Type

/** Whole milliseconds, truncated, as Codex reports durations to clients. */
export const toMillis = (d: Duration): number => d.secs * 1000 + Math.floor(d.nanos / 1_000_000)

/** `toMillis` of a parsed JSON value that may be a duration (`null` when it is not one). */
export const millisOf = (d: unknown): number | null => {
  if (typeof d !== "object" || d === null) return null
  const { secs, nanos } = d as { readonly secs?: unknown; readonly nanos?: unknown }
  return typeof secs === "number" && typeof nanos === "number" ? toMillis({ secs, nanos }) : null
}

/**
 * AgentPath: the canonical address of an agent in a multi-agent (v2) thread tree, as written in
 * `sub_agent_activity.agent_path`, the `SubAgentActivity` turn item and session metadata. `/root`
 * is the main agent, `/root/<name>[/<name>…]` a sub-agent, and `/morpheus` a special agent Codex
 * also accepts. This module only validates the spelling; it does not resolve paths to threads.
 */
import { Schema } from "effect"

/** The path of the main agent. */
export const root = "/root"

/** The one path outside the `/root` tree that Codex accepts (G2.9). */
export const morpheus = "/morpheus"

const NAME = /^[a-z0-9_]+$/

/**
 * Whether `path` is a valid agent path. Names are non-empty `[a-z0-9_]` and never `root` (the
 * charset already excludes `.` and `..`); a trailing `/` would give an empty name, so it fails.
 */
export const isAgentPath = (path: string): boolean => {
  if (path === root || path === morpheus) return true
  if (!path.startsWith(`${root}/`)) return false
  return path
    .slice(root.length + 1)
    .split("/")
    .every((name) => NAME.test(name) && name !== "root")
}

/** A string that is a valid agent path. Codex rejects the whole line otherwise, so this is closed. */
export const AgentPath = Schema.String.check(Schema.makeFilter(isAgentPath, { expected: "an agent path (/root, /root/<name>[/<name>…] or /morpheus)" }))
export type AgentPath = typeof AgentPath.Type

/** The names below `/root` (`[]` for `/root` and `/morpheus`). */
export const names = (path: AgentPath): ReadonlyArray<string> => (path.startsWith(`${root}/`) ? path.slice(root.length + 1).split("/") : [])

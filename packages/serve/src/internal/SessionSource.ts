/**
 * A recorded `session_meta.source` as Codex's v2 `Thread.source` shows it: `mcp` is `appServer`,
 * and a sub-agent's `{"subagent": …}` is `{"subAgent": …}`, a spawned one's details gaining
 * `agent_path` (null when not recorded) in Codex's member order. Other values pass unchanged.
 */
type Json = Record<string, unknown>

const spawn = (s: Json): Json => ({
  parent_thread_id: s["parent_thread_id"] ?? null,
  depth: s["depth"] ?? null,
  agent_path: s["agent_path"] ?? null,
  agent_nickname: s["agent_nickname"] ?? null,
  agent_role: s["agent_role"] ?? null
})

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

export const toV2 = (source: unknown): unknown => {
  if (source === "mcp") return "appServer"
  if (!isObject(source) || !("subagent" in source)) return source
  const sub = source["subagent"]
  if (isObject(sub) && isObject(sub["thread_spawn"])) return { subAgent: { thread_spawn: spawn(sub["thread_spawn"]) } }
  return { subAgent: sub }
}

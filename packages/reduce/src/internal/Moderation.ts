/**
 * `agentMessage.moderation` as Codex's v2 answer writes it from a paginated rollout's
 * `AgentMessage` item: `display` null when absent, the 0.170 display union on `mode`
 * (`show` / `hide` / `block`, `version: 1`) with its optional parts omitted when null, and the
 * key order Codex 0.171 writes (`annotation` before `trustedContacts`). Checked against the real
 * app-server in `fixtures/codex-tests/paginated-history/agent-message-moderation`. A shape it
 * does not know is passed through as written. Pure.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"

type Moderation = ThreadItem.Of<"agentMessage">["moderation"]
type Obj = Readonly<Record<string, unknown>>

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)

const reason = (r: unknown): unknown => {
  if (!isObj(r) || r["kind"] !== "cyber") return r
  const { trustedAccess, ...rest } = r
  return trustedAccess === null || trustedAccess === undefined ? rest : { ...rest, trustedAccess }
}

const display = (d: unknown): unknown => {
  if (!isObj(d)) return d ?? null
  switch (d["mode"]) {
    case "show": {
      const { mode, version, annotation, trustedContacts, ...rest } = d
      return { mode, version, ...(annotation === null || annotation === undefined ? {} : { annotation }), trustedContacts, ...rest }
    }
    case "block": {
      const { mode, version, reason: r, ...rest } = d
      return { mode, version, reason: reason(r), ...rest }
    }
    default:
      return d
  }
}

export const fromRollout = (m: unknown): Moderation => {
  if (!isObj(m)) return (m ?? null) as Moderation
  const { moderated, display: d, ...rest } = m
  return { moderated, display: display(d), ...rest } as Moderation
}

import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as TurnContext from "@rollout/protocol/TurnContext"

const decode = Schema.decodeUnknownSync(TurnContext.TurnContextItem)
const encode = Schema.encodeUnknownSync(TurnContext.TurnContextItem)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

const g3 = String.raw`{"turn_id":"0198f2a5-0001-7000-8000-000000000001","cwd":"/home/ana/proj","approval_policy":"on-request","sandbox_policy":{"type":"workspace-write","network_access":false,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":false},"model":"gpt-5.2-codex","effort":"medium","summary":"none"}`

/** Where Codex 0.169 writes sandbox_policy: after `summary` (before any G2-only trailing fields). */
const sandboxPolicyAfterSummary = (text: string): string => {
  const { sandbox_policy, ...rest } = JSON.parse(text) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(rest)) {
    out[k] = v
    if (k === "summary") out["sandbox_policy"] = sandbox_policy
  }
  if (!("sandbox_policy" in out)) out["sandbox_policy"] = sandbox_policy
  return Json.stringify(out)
}

describe("TurnContextItem", () => {
  it.each([
    ["the G3 spec example", g3],
    [
      "a G2 payload with the fields G3 dropped",
      String.raw`{"turn_id":"t1","trace_id":"tr","cwd":"/home/ana","current_date":"2026-05-05","timezone":"Europe/Paris","approval_policy":"never","sandbox_policy":{"type":"danger-full-access"},"permission_profile":{"type":"disabled"},"network":{"allowed_domains":["example.com"],"denied_domains":[]},"model":"gpt-5.5","personality":"pragmatic","collaboration_mode":{"mode":"default","settings":{"model":"gpt-5.5","reasoning_effort":"xhigh","developer_instructions":null}},"realtime_active":false,"effort":"xhigh","summary":"auto","user_instructions":"be brief","developer_instructions":"d","final_output_json_schema":{"type":"object"},"truncation_policy":{"mode":"tokens","limit":10000}}`
    ],
    [
      "a G3 payload with every field",
      String.raw`{"turn_id":"t","root_turn_id":"r","disabled_plugin_ids":["p"],"cwd":"/p","approval_policy":{"granular":{"sandbox_approval":true,"rules":false,"skill_approval":false,"request_permissions":true,"mcp_elicitations":true}},"approvals_reviewer":"user","sandbox_policy":{"type":"read-only","network_access":true},"permission_profile":{"type":"managed"},"active_permission_profile":{"id":":workspace"},"file_system_sandbox_policy":{"kind":"restricted"},"model":"m","comp_hash":"h","collaboration_mode":{"mode":"plan","settings":{"model":"m","reasoning_effort":null,"developer_instructions":null}},"multi_agent_version":"v2","realtime_active":true,"cyber_access_program":"trusted","effort":"my-custom-effort","summary":"none"}`
    ],
    [
      "a G1 payload",
      String.raw`{"cwd":"/p","approval_policy":"on-failure","sandbox_policy":{"type":"external-sandbox","network_access":"enabled"},"model":"o3","summary":"detailed"}`
    ],
    [
      "a G2 workspace-write policy with read_only_access",
      String.raw`{"cwd":"/p","approval_policy":"untrusted","sandbox_policy":{"type":"workspace-write","writable_roots":["/tmp/x"],"read_only_access":{"type":"full-access"},"network_access":true,"exclude_tmpdir_env_var":false,"exclude_slash_tmp":true},"model":"m","summary":"concise"}`
    ]
  ])("given %s, when decoded and re-encoded, then the same value is written with sandbox_policy moved after summary (Codex 0.169's order)", (_, text) => {
    const written = roundTrip(text)
    expect(JSON.parse(written)).toEqual(JSON.parse(text))
    expect(written).toBe(sandboxPolicyAfterSummary(text))
  })

  it("given the legacy approval on-failure, when decoded, then it is kept, not mapped to on-request", () => {
    expect(decode({ ...JSON.parse(g3), approval_policy: "on-failure" })).toMatchObject({ approval_policy: "on-failure" })
  })

  it.each([
    ["an unknown approval policy", { approval_policy: "sometimes" }],
    ["an unknown sandbox type", { sandbox_policy: { type: "chroot" } }],
    ["an empty reasoning effort", { effort: "" }],
    ["an unknown reasoning summary", { summary: "verbose" }]
  ])("given %s, when decoded, then it is rejected as Codex rejects it", (_, patch) => {
    expect(() => decode({ ...JSON.parse(g3), ...patch })).toThrow()
  })
})

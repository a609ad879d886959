import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as SessionMeta from "@rollout/protocol/SessionMeta"

const decode = Schema.decodeUnknownSync(SessionMeta.SessionMetaLine)
const encode = Schema.encodeUnknownSync(SessionMeta.SessionMetaLine)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

const g3 = String.raw`{"session_id":"0198f2a4-5b6c-7d8e-9f00-112233445566","id":"0198f2a4-5b6c-7d8e-9f00-112233445566","timestamp":"2026-07-14T07:05:33.398Z","cwd":"/home/ana/proj","originator":"codex_cli_rs","cli_version":"0.149.1","source":"cli","model_provider":"openai","base_instructions":{"text":"You are Codex…"},"history_mode":"legacy","git":{"commit_hash":"3f2a9c1","branch":"main","repository_url":"https://github.com/ana/proj.git"}}`
const g2 = String.raw`{"id":"5973b6c0-94b8-487b-a530-2aeb6098ae0e","timestamp":"2026-03-02T10:00:00.101Z","cwd":"/home/ana/proj","originator":"codex_cli_rs","cli_version":"0.110.0","source":"cli","model_provider":"openai","base_instructions":{"text":"You are Codex…"}}`

describe("SessionMetaLine", () => {
  it.each([
    ["G3", g3],
    ["G2", g2],
    [
      "G1",
      String.raw`{"id":"5973b6c0-94b8-487b-a530-2aeb6098ae0e","timestamp":"2025-09-01T10:00:00.101Z","cwd":"/p","originator":"codex_cli_rs","cli_version":"0.30.0","instructions":null}`
    ],
    [
      "G3 paginated fork of a sub-agent",
      String.raw`{"creator_user_id":"u1","creator_account_id":"a1","session_id":"s","id":"t","forked_from_id":"f","forked_from_ordinal_exclusive":12,"parent_thread_id":"p","timestamp":"2026-08-10T00:00:00.000Z","cwd":"/p","runtime_workspace_roots":["/p","/q"],"originator":"codex_vscode","cli_version":"0.150.0","source":{"subagent":{"thread_spawn":{"parent_thread_id":"p","depth":1,"agent_path":"/root/worker","agent_nickname":null,"agent_role":"explorer"}}},"thread_source":"subagent","agent_nickname":"Ada","agent_role":"explorer","agent_path":"/root/worker","model_provider":null,"base_instructions":{"text":"x","provenance":{"type":"model","model":"gpt-5.2"}},"dynamic_tools":[{"name":"t","description":"d","inputSchema":{}}],"selected_capability_roots":[{"id":"r"}],"memory_mode":"disabled","history_mode":"paginated","history_base":{"thread_id":"f","end_ordinal_exclusive":12,"end_byte_offset":4096},"subagent_history_start_ordinal":3,"multi_agent_version":"v2","context_window":{"window_id":"w1"}}`
    ]
  ])("given a %s payload, when decoded and re-encoded, then the bytes are identical", (_, text) => {
    expect(roundTrip(text)).toBe(text)
  })

  it("given a payload without session_id, when decoded, then it is not filled from id", () => {
    expect(decode(JSON.parse(g2))).not.toHaveProperty("session_id")
  })

  it("given a payload without source or history_mode, when decoded, then Codex's read defaults are not applied", () => {
    const value = decode({ id: "t", timestamp: "x", cwd: "/", originator: "o", cli_version: "1" })
    expect(value).not.toHaveProperty("source")
    expect(value).not.toHaveProperty("history_mode")
  })

  it("given an unknown history_mode, when decoded, then it is rejected as Codex rejects the file", () => {
    expect(() => decode({ ...JSON.parse(g3), history_mode: "windowed" })).toThrow()
  })

  it.each([
    '"vscode"',
    '"some_future_client"',
    '{"custom":"atlas"}',
    '{"internal":"guardian"}',
    '{"subagent":"review"}',
    '{"subagent":{"other":"label"}}',
    '{"subagent":{"thread_spawn":{"parent_thread_id":"p","depth":2,"agent_nickname":null,"agent_type":"worker"}}}'
  ])("given the source %s, when round-tripped, then it is kept as written", (source) => {
    const text = g2.replace('"source":"cli"', `"source":${source}`)
    expect(roundTrip(text)).toBe(text)
  })

  it("given the agent_type alias at the top level, when round-tripped, then the alias is kept", () => {
    const text = g2.replace('"model_provider"', '"agent_nickname":"Ada","agent_type":"explorer","model_provider"')
    expect(decode(JSON.parse(text))).toMatchObject({ agent_type: "explorer" })
    expect(roundTrip(text)).toBe(text)
  })
})

describe("threadSpawn", () => {
  it("given a spawn with only the required fields, when built and encoded, then the agent fields are written as null", () => {
    const source: SessionMeta.SessionSource = { subagent: { thread_spawn: SessionMeta.threadSpawn({ parent_thread_id: "p", depth: 1 }) } }
    expect(Json.stringify(Schema.encodeUnknownSync(SessionMeta.SessionSource)(source))).toBe(
      '{"subagent":{"thread_spawn":{"parent_thread_id":"p","depth":1,"agent_path":null,"agent_nickname":null,"agent_role":null}}}'
    )
  })
})

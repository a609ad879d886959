import { describe, expect, it } from "vitest"
import { main } from "@rollout/cli/Cli"
import * as Output from "@rollout/cli/Output"
import * as Files from "@rollout/log/Files"

const lines = [
  '{"timestamp":"2026-07-14T07:05:33.412Z","type":"session_meta","payload":{"id":"0198f2a4-5b6c-7d8e-9f00-112233445566","timestamp":"2026-07-14T07:05:33.398Z","cwd":"/p","originator":"codex_cli_rs","cli_version":"0.110.0","source":"exec","model_provider":"openai","base_instructions":null}}',
  '{"timestamp":"2026-07-14T07:05:40.010Z","type":"turn_context","payload":{"cwd":"/p","approval_policy":"never","sandbox_policy":{"type":"danger-full-access"},"model":"gpt-5.2-codex","summary":"auto"}}',
  '{"timestamp":"2026-07-14T07:05:40.011Z","type":"event_msg","payload":{"type":"task_started","turn_id":"t1","model_context_window":null,"collaboration_mode_kind":"default"}}',
  '{"timestamp":"2026-07-14T07:05:40.020Z","type":"event_msg","payload":{"type":"user_message","message":"fix the test","local_images":[],"local_audio":[],"text_elements":[]}}',
  "garbage",
  '{"timestamp":"2026-07-14T07:05:41.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":20,"reasoning_output_tokens":5,"total_tokens":120},"last_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":20,"reasoning_output_tokens":5,"total_tokens":120},"model_context_window":null},"rate_limits":null}}',
  '{"timestamp":"2026-07-14T07:05:42.000Z","type":"event_msg","payload":{"type":"task_complete","turn_id":"t1","last_agent_message":"Fixed."}}'
]

describe("rollout info", () => {
  it("given a rollout, then summarises it and counts the line it could not read", async () => {
    const output = Output.buffer()
    const code = await main(["info", "/r/rollout.jsonl", "--json"], output, Files.memory({ "/r/rollout.jsonl": `${lines.join("\n")}\n` }))
    expect(code).toBe(0)
    const [t] = JSON.parse(output.out()).threads
    expect(t).toMatchObject({
      id: "0198f2a4-5b6c-7d8e-9f00-112233445566",
      source: "exec",
      model: "gpt-5.2-codex",
      turns: 1,
      completedTurns: 1,
      firstPrompt: "fix the test",
      lastAgentMessage: "Fixed.",
      tokens: { input: 100, cachedInput: 40, output: 20, reasoningOutput: 5, total: 120 },
      lines: 6,
      skippedLines: 1,
      resumeCommand: "cd /p && codex resume 0198f2a4-5b6c-7d8e-9f00-112233445566"
    })
  })
})

// A legacy rollout, written the way Codex writes one, whose turns do real work: exec_command and
// shell calls with their outputs and exit codes, apply_patch with its patch_apply_end, a plan, a
// web search, Markdown answers with code, token counts. `turns` sets its size (about 11 KB a turn).
import * as fs from "node:fs"

const start = Date.parse("2026-07-14T07:06:00.000Z")

export const THREAD_ID = "0198f2a4-5b6c-7d8e-9f00-aabbccddeeff"

const answer = (n: number) =>
  [
    `Turn ${n}: I ran the tests and fixed **one** failure in \`src/parse.ts\`.`,
    "",
    "- the parser now keeps `\\r\\n` endings",
    "- see [the spec](https://example.com/spec) and [not this](javascript:alert(1))",
    "",
    "```ts",
    `export const answer${n} = (x: number): number => x * ${n} // keeps it`,
    "```"
  ].join("\n")

const output = (n: number, lines: number) => Array.from({ length: lines }, (_, k) => `line ${k + 1} of the output of command ${n} <b>&amp;</b>`).join("\n")

/** The rollout's lines. */
export const lines = (turns: number, outputLines = 60): Array<string> => {
  let ms = start
  const at = () => new Date((ms += 1500)).toISOString()
  const line = (type: string, payload: object) => JSON.stringify({ timestamp: at(), type, payload })
  const out = [
    line("session_meta", {
      id: THREAD_ID,
      timestamp: new Date(start).toISOString(),
      cwd: "/work/project",
      originator: "codex_cli_rs",
      cli_version: "0.169.0",
      source: "cli",
      model_provider: "openai",
      history_mode: "legacy"
    })
  ]
  let total = 0
  for (let n = 1; n <= turns; n++) {
    const tid = `turn-${n}`
    const begin = Math.floor(ms / 1000)
    out.push(line("event_msg", { type: "task_started", turn_id: tid, model_context_window: 258400, started_at: begin }))
    out.push(
      line("turn_context", {
        turn_id: tid,
        cwd: "/work/project",
        approval_policy: "never",
        sandbox_policy: { type: "danger-full-access" },
        model: "gpt-5.5",
        summary: "auto"
      })
    )
    const ask = `Please fix test ${n} <script>alert(${n})</script>`
    out.push(line("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: ask }] }))
    out.push(line("event_msg", { type: "user_message", message: ask, images: [] }))
    out.push(line("event_msg", { type: "agent_reasoning", text: `Looking at test ${n} first` }))
    const exitCode = n % 3 === 0 ? 1 : 0
    out.push(
      line("response_item", { type: "function_call", name: "exec_command", arguments: JSON.stringify({ cmd: `npm test -- parse${n}` }), call_id: `exec-${n}` })
    )
    out.push(
      line("response_item", {
        type: "function_call_output",
        call_id: `exec-${n}`,
        output: `Chunk ID: ${n}\nWall time: ${(n % 7) + 0.25} seconds\nProcess exited with code ${exitCode}\nOriginal token count: 9\nOutput:\n${output(n, outputLines)}\n`
      })
    )
    out.push(
      line("response_item", {
        type: "function_call",
        name: "shell",
        arguments: JSON.stringify({ command: ["bash", "-lc", `ls src | head -${n}`] }),
        call_id: `shell-${n}`
      })
    )
    out.push(
      line("response_item", {
        type: "function_call_output",
        call_id: `shell-${n}`,
        output: JSON.stringify({ output: "parse.ts\nindex.ts\n", metadata: { exit_code: 0, duration_seconds: 0.1 } })
      })
    )
    const patch = `*** Begin Patch\n*** Update File: src/parse.ts\n@@\n-const keep = false\n+const keep = true // turn ${n}\n*** End Patch\n`
    out.push(line("response_item", { type: "custom_tool_call", call_id: `patch-${n}`, name: "apply_patch", input: patch }))
    if (n % 2 === 0)
      out.push(
        line("event_msg", {
          type: "patch_apply_end",
          call_id: `patch-${n}`,
          turn_id: tid,
          stdout: "Success",
          stderr: "",
          success: true,
          status: "completed",
          changes: {
            "/work/project/src/parse.ts": {
              type: "update",
              unified_diff: `@@ -1 +1 @@\n-const keep = false\n+const keep = true // turn ${n}\n`,
              move_path: null
            }
          }
        })
      )
    out.push(
      line("response_item", {
        type: "custom_tool_call_output",
        call_id: `patch-${n}`,
        output: "Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nM src/parse.ts\n"
      })
    )
    if (n === 1) {
      out.push(
        line("response_item", {
          type: "function_call",
          name: "update_plan",
          arguments: JSON.stringify({
            explanation: "Two steps",
            plan: [
              { step: "Reproduce", status: "completed" },
              { step: "Fix", status: "in_progress" }
            ]
          }),
          call_id: "plan-1"
        })
      )
      out.push(line("response_item", { type: "function_call_output", call_id: "plan-1", output: "Plan updated" }))
      out.push(
        line("event_msg", {
          type: "web_search_end",
          call_id: "ws-1",
          query: "commonmark line endings",
          action: { type: "search", query: "commonmark line endings" }
        })
      )
      out.push(
        line("response_item", { type: "web_search_call", id: "ws-1", status: "completed", action: { type: "search", query: "commonmark line endings" } })
      )
    }
    total += 9000 + n
    out.push(
      line("event_msg", {
        type: "token_count",
        info: {
          total_token_usage: {
            input_tokens: total - 200 * n,
            cached_input_tokens: 6000 * n,
            output_tokens: 200 * n,
            reasoning_output_tokens: 50 * n,
            total_tokens: total
          },
          last_token_usage: { input_tokens: 8800, cached_input_tokens: 6000, output_tokens: 200, reasoning_output_tokens: 50, total_tokens: 9000 + n },
          model_context_window: 258400
        },
        rate_limits: null
      })
    )
    out.push(line("event_msg", { type: "agent_message", message: answer(n) }))
    out.push(line("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: answer(n) }] }))
    const end = Math.floor((ms += 400_000) / 1000)
    out.push(line("event_msg", { type: "task_complete", turn_id: tid, last_agent_message: answer(n), completed_at: end, duration_ms: 403_300 }))
  }
  return out
}

/** Writes the rollout to `file`. */
export const write = (file: string, turns: number, outputLines?: number): void => fs.writeFileSync(file, `${lines(turns, outputLines).join("\n")}\n`)

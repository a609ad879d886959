/**
 * Stop hooks: run when the model ends a turn. A hook that blocks (`{"decision":"block","reason"}`)
 * continues the turn with a user message made of `<hook_prompt hook_run_id="...">` fragments (one
 * per blocking hook, `HookPrompt.buildMessage`). Each hook sees `stop_hook_active: true` once the
 * turn was already continued by a stop hook, so it can let the loop end. A hook is a function or a
 * command (JSON on stdin, JSON decision on stdout, Codex/Claude hook protocol; exit code 2 blocks
 * with stderr as the reason). Hook run ids are `stop:<index>:<source>` as Codex builds them.
 *
 * `StopHooks` is the service the turn calls; `make` runs real hooks, `Replay` plays recorded
 * decisions back. It does not record anything itself.
 */
import * as ChildProcess from "node:child_process"
import * as fs from "node:fs"
import type * as HookPrompt from "@rollout/protocol/HookPrompt"

export interface Input {
  readonly threadId: string
  readonly turnId: string
  readonly cwd: string
  readonly lastAssistantMessage: string | null
  readonly stopHookActive: boolean
}

export type Decision = { readonly decision: "continue" } | { readonly decision: "block"; readonly reason: string }

export type Hook =
  | { readonly kind: "function"; readonly name: string; readonly run: (input: Input) => Decision | Promise<Decision> }
  | { readonly kind: "command"; readonly command: string; readonly source?: string; readonly timeoutMs?: number }

export interface StopHooks {
  /** The continuation fragments of every blocking hook, in hook order; empty: let the turn end. */
  readonly run: (input: Input) => Promise<ReadonlyArray<HookPrompt.HookPromptFragment>>
}

export const none: StopHooks = { run: async () => [] }

const runCommand = (hook: Extract<Hook, { kind: "command" }>, input: Input): Promise<Decision> =>
  new Promise((resolve) => {
    // A thread cwd that does not exist here (a replayed recording) runs the hook in ours.
    const child = ChildProcess.spawn("sh", ["-c", hook.command], { ...(fs.existsSync(input.cwd) ? { cwd: input.cwd } : {}), stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    const timer = setTimeout(() => child.kill("SIGKILL"), hook.timeoutMs ?? 60_000)
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("error", () => resolve({ decision: "continue" }))
    child.on("close", (code) => {
      clearTimeout(timer)
      if (code === 2) return resolve({ decision: "block", reason: stderr.trim() })
      try {
        const out = JSON.parse(stdout) as { decision?: unknown; reason?: unknown }
        if (out.decision === "block" && typeof out.reason === "string") return resolve({ decision: "block", reason: out.reason })
      } catch {
        // Not JSON: the hook did not block.
      }
      resolve({ decision: "continue" })
    })
    child.stdin.end(
      JSON.stringify({
        session_id: input.threadId,
        turn_id: input.turnId,
        cwd: input.cwd,
        hook_event_name: "Stop",
        stop_hook_active: input.stopHookActive,
        last_assistant_message: input.lastAssistantMessage
      })
    )
  })

export const make = (hooks: ReadonlyArray<Hook>): StopHooks => ({
  run: async (input) => {
    const fragments: Array<HookPrompt.HookPromptFragment> = []
    for (const [index, hook] of hooks.entries()) {
      const decision = hook.kind === "function" ? await hook.run(input) : await runCommand(hook, input)
      if (decision.decision === "block" && decision.reason.trim() !== "") {
        const source = hook.kind === "function" ? hook.name : (hook.source ?? "hooks.json")
        fragments.push({ text: decision.reason, hookRunId: `stop:${index}:${source}` })
      }
    }
    return fragments
  }
})

/** Recorded decisions: for each turn id, the fragments of each continuation, in order. */
export const replay = (byTurn: ReadonlyMap<string, ReadonlyArray<ReadonlyArray<HookPrompt.HookPromptFragment>>>): StopHooks => {
  const used = new Map<string, number>()
  return {
    run: async (input) => {
      const n = used.get(input.turnId) ?? 0
      used.set(input.turnId, n + 1)
      return byTurn.get(input.turnId)?.[n] ?? []
    }
  }
}

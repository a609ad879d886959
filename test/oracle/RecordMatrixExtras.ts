/**
 * The matrix cases that need a Codex home of their own (RecordMatrix records the rest): a Stop hook
 * that blocks once (hookPrompt), the `clock.sleep` tool (sleep), an `image_generation_call` the
 * model streams, and plan mode's `<proposed_plan>` (plan). The hook is trusted the way a user
 * trusts it: `codex exec --dangerously-bypass-hook-trust`, and for the app-server the hash
 * `hooks/list` reports written to `[hooks.state]` of config.toml. Hooks and the sleep tool are
 * stable features in 0.169–0.171; the sleep tool is offered only with `mode = "always_on"`.
 */
import * as ModelScript from "@rollout/engine/ModelScript"
import type * as ScriptedModelServer from "@rollout/engine/ScriptedModelServer"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Codex from "./Codex.js"

export type Scripted = <A>(label: string, turns: ReadonlyArray<ModelScript.Turn>, step: () => Promise<A>) => Promise<A>
export type Case = { readonly name: string; readonly threadId: string }

/** A 1×1 PNG, base64, as an image generation result. */
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

/**
 * An image generation result and a sleep in one response, an answer the Stop hook blocks, and the
 * answer to its prompt. Without ChatGPT sign-in Codex offers no image tool and keeps the streamed
 * call only as a response item (no imageGeneration item): recorded so that stays visible.
 */
const hookSleepImage = (tag: string): ReadonlyArray<ModelScript.Turn> => [
  {
    type: "response",
    items: [
      { type: "raw", item: { type: "image_generation_call", id: `ig_${tag}`, status: "completed", revised_prompt: "A red pixel", result: PNG } },
      { type: "function_call", namespace: "clock", name: "sleep", arguments: { duration_ms: 20 }, callId: `call_${tag}_sleep` }
    ]
  },
  ModelScript.reply("Slept and drew a pixel (check)."),
  ModelScript.reply("Tests ran: all green.")
]

const planReply = ModelScript.reply("Here is the plan.\n\n<proposed_plan>\n# Notes\n\n- Write notes.md\n- Check it\n</proposed_plan>\n")

export const record = async (
  server: ScriptedModelServer.ScriptedModelServer,
  root: string,
  scripted: Scripted
): Promise<{ home: Codex.CodexHome; cases: Array<Case> }> => {
  const home = Codex.createHome({ baseUrl: server.baseUrl, root, extraConfig: '[features.sleep_tool]\nenabled = true\nmode = "always_on"\n' })
  const hook = `${JSON.stringify(process.execPath)} ${JSON.stringify(Path.join(import.meta.dirname, "StopHook.mjs"))}`
  Fs.writeFileSync(Path.join(home.home, "hooks.json"), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: "command", command: hook }] }] } }))
  const cases: Array<Case> = []
  const exec = await scripted("exec-hook-sleep", hookSleepImage("exec"), () =>
    Codex.execTurn(home, "Sleep, draw, then stop", { extraArgs: ["--dangerously-bypass-hook-trust"] })
  )
  cases.push({ name: "exec-hook-sleep", threadId: exec.threadId })
  await trustHooks(home)
  const app = await Codex.appServer(home)
  try {
    for (const historyMode of ["legacy", "paginated"] as const) {
      const name = `app-${historyMode}-hook-sleep`
      const threadId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
      await scripted(name, hookSleepImage(historyMode), () => app.runTurn(threadId, "Sleep, draw, then stop"))
      cases.push({ name, threadId })
      // Plan mode (an experimental turn/start field): the answer's <proposed_plan> block is a plan item.
      const planName = `app-${historyMode}-plan`
      const planId = (await app.request("thread/start", { cwd: home.workspace, historyMode })).thread.id as string
      await scripted(planName, [planReply], async () => {
        const input = [{ type: "text", text: "Plan the notes", text_elements: [] }]
        const collaborationMode = { mode: "plan", settings: { model: "gpt-5.5", developer_instructions: null } }
        const turn = (await app.request("turn/start", { threadId: planId, input, collaborationMode })).turn
        await app.waitFor("turn/completed", (p) => p.threadId === planId && p.turn.id === turn.id)
      })
      cases.push({ name: planName, threadId: planId })
    }
  } finally {
    await app.close()
  }
  return { home, cases }
}

/** Trusts every hook the app-server lists, as a user does: its current hash in `[hooks.state."KEY"]`. */
const trustHooks = async (home: Codex.CodexHome): Promise<void> => {
  const app = await Codex.appServer(home)
  try {
    const list = await app.request("hooks/list", { cwds: [home.workspace] })
    const entries: Array<{ key: string; currentHash: string }> = list.data.flatMap((d: { hooks: Array<{ key: string; currentHash: string }> }) => d.hooks)
    if (entries.length === 0) throw new Error(`no hook listed: ${JSON.stringify(list)}`)
    const state = entries.map((e) => `\n[hooks.state.${JSON.stringify(e.key)}]\ntrusted_hash = ${JSON.stringify(e.currentHash)}\n`)
    Fs.appendFileSync(Path.join(home.home, "config.toml"), state.join(""))
  } finally {
    await app.close()
  }
}

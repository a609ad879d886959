/**
 * The terminal transcript's lines for work: a command as `$ cmd  [exit N · 1.2 s]` with its output
 * folded to the first and last lines under a `│` gutter, a patch as its diff folded the same way,
 * and one line for a search, plan, tool call, agent message or error. Text is escaped by the caller.
 */
import type * as StatsTokens from "@rollout/reduce/StatsTokens"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import * as Folded from "./Folded.js"
import * as Human from "./Human.js"
import * as PatchText from "./PatchText.js"

const HEAD = 4
const TAIL = 4

const one = (s: string, max = 200): string => {
  const flat = s.replace(/\s*\n\s*/g, " ⏎ ")
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const gutter = (text: string): Array<string> => {
  const f = Folded.lines(text, HEAD, TAIL)
  const clip = (l: string) => `    │ ${l.length > 240 ? `${l.slice(0, 239)}…` : l}`
  return [...f.head.map(clip), ...(f.omitted > 0 ? [`    │ … ${Human.plural(f.omitted, "more line")} …`] : []), ...f.tail.map(clip)]
}

/** A command with its exit code, duration and folded output. */
export const command = (cmd: string, exitCode: number | null, durationMs: number | null, output: string, running = false): Array<string> => {
  const facts = [running ? "still running" : exitCode === null ? "" : `exit ${exitCode}`, Human.duration(durationMs)].filter((f) => f !== "")
  return [`  $ ${one(cmd, 300)}${facts.length === 0 ? "" : `  [${facts.join(" · ")}]`}`, ...gutter(output)]
}

/** A diff under a title, folded. */
export const diff = (title: string, text: string): Array<string> => [`  ✎ ${one(title)}`, ...gutter(text)]

/** "59.5k tokens (9.5k in, 8k cached, 501 out) · gpt-5.5" */
export const usage = (u: { readonly tokens: StatsTokens.Tokens; readonly model: string | null }): string => {
  const t = u.tokens
  const parts = [`${Human.count(t.input)} in`, ...(t.cachedInput > 0 ? [`${Human.count(t.cachedInput)} cached`] : []), `${Human.count(t.output)} out`]
  return `${Human.count(t.total)} tokens (${parts.join(", ")})${u.model === null ? "" : ` · ${u.model}`}`
}

const result = (e: WorkLog.Entry): string => e.result?.output ?? ""

/** One work entry as terminal lines. */
export const entry = (e: WorkLog.Entry): Array<string> => {
  switch (e._tag) {
    case "Command":
      return command(e.command, e.result?.exitCode ?? null, e.result?.durationMs ?? null, result(e), e.result?.running ?? false)
    case "Patch": {
      const failed = e.result?.exitCode !== undefined && e.result.exitCode !== null && e.result.exitCode !== 0
      return diff(`patch ${PatchText.paths(e.patch).join(", ")}${failed ? `  [exit ${e.result?.exitCode}]` : ""}`, PatchText.fromPatch(e.patch))
    }
    case "WebSearch":
      return [`  ⌕ web search: ${one(e.query)}`]
    case "Plan":
      return [
        `  ☰ plan${e.explanation === null ? "" : `: ${one(e.explanation)}`}`,
        ...e.steps.map((s) => `    ${s.status === "completed" ? "☑" : s.status === "in_progress" ? "▸" : "☐"} ${one(s.step)}`)
      ]
    case "Agent":
      return [`  ⇄ agent ${e.tool} ${one(e.input)}`, ...(result(e) === "" ? [] : [`    → ${one(result(e))}`])]
    case "Message":
      return [`  ✉ ${e.author} → ${e.recipient}: ${one(e.content, 300)}`]
    case "Tool":
      return [`  ⚙ ${e.name} ${one(e.input)}`, ...(result(e) === "" ? [] : [`    → ${one(result(e))}`])]
    case "Notice":
      return [`  ${e.level === "error" ? "✗ error" : e.level === "warning" ? "! warning" : "↻ retrying"}: ${one(e.message, 300)}`]
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

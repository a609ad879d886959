/**
 * The Markdown export's blocks for work: a command as a `<details>` whose summary shows the
 * command, exit code and duration and whose body is the output in a fence; a patch as a `diff`
 * fence (in `<details>` when long); a line each for searches, plans, tool calls, agent messages
 * and errors. Everything from the rollout is escaped (`MarkdownText`, `HtmlText`).
 */
import type * as StatsTokens from "@rollout/reduce/StatsTokens"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import * as Folded from "./Folded.js"
import * as Human from "./Human.js"
import * as HtmlText from "./HtmlText.js"
import { escapeText, fence } from "./MarkdownText.js"
import * as PatchText from "./PatchText.js"

// GitHub folds <details> itself; beyond this an output is cut to its ends so the page stays light.
const HEAD = 300
const TAIL = 100
const SHORT_DIFF = 40

const oneLine = (s: string, max = 300): string => {
  const flat = s.replace(/\s*\n\s*/g, " ⏎ ")
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const cut = (text: string): string => {
  const f = Folded.lines(text, HEAD, TAIL)
  return f.omitted === 0 ? f.head.join("\n") : [...f.head, `… ${Human.plural(f.omitted, "line")} left out …`, ...f.tail].join("\n")
}

const details = (summary: string, body: string): string => `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`

/** A command: summary `$ cmd · exit N · 1.2 s`, body its output. */
export const command = (cmd: string, exitCode: number | null, durationMs: number | null, output: string, status?: string, running = false): string => {
  const facts = [
    running ? "still running" : exitCode === null ? (status ?? "") : exitCode === 0 ? "exit 0" : `<b>exit ${exitCode}</b>`,
    Human.duration(durationMs)
  ].filter((f) => f !== "")
  const summary = `<code>$ ${HtmlText.escape(oneLine(cmd))}</code>${facts.length === 0 ? "" : ` · ${facts.join(" · ")}`}`
  return output === "" ? `${summary} · no output` : details(summary, fence(cut(output), "text"))
}

/** A diff under a title: open when short, folded when long. */
export const diff = (title: string, text: string, status = ""): string => {
  const head = `✎ <code>${HtmlText.escape(oneLine(title))}</code>${status === "" || status === "completed" ? "" : ` · ${HtmlText.escape(status)}`}`
  const body = fence(cut(text), "diff")
  return text.split("\n").length <= SHORT_DIFF ? `${head}\n\n${body}` : details(head, body)
}

/** "59.5k tokens (9.5k in, 501 out) · gpt-5.5" */
export const usage = (u: { readonly tokens: StatsTokens.Tokens; readonly model: string | null }): string => {
  const t = u.tokens
  const parts = [`${Human.count(t.input)} in`, ...(t.cachedInput > 0 ? [`${Human.count(t.cachedInput)} cached`] : []), `${Human.count(t.output)} out`]
  return `${Human.count(t.total)} tokens (${parts.join(", ")})${u.model === null ? "" : ` · ${u.model}`}`
}

const pretty = (input: string): string => {
  try {
    return JSON.stringify(JSON.parse(input), null, 2)
  } catch {
    return input
  }
}

// A summary line is raw HTML on GitHub (no Markdown inside it), so its markup is HTML too.
const toolBlock = (label: string, input: string, output: string): string =>
  details(label, `${fence(pretty(input), "json")}${output === "" ? "" : `\n\n${fence(cut(output), "text")}`}`)

/** One work entry as a Markdown block. */
export const entry = (e: WorkLog.Entry): string => {
  const out = e.result?.output ?? ""
  switch (e._tag) {
    case "Command":
      return command(e.command, e.result?.exitCode ?? null, e.result?.durationMs ?? null, out, undefined, e.result?.running ?? false)
    case "Patch":
      return diff(`patch ${PatchText.paths(e.patch).join(", ")}`, PatchText.fromPatch(e.patch), e.result?.exitCode ? `exit ${e.result.exitCode}` : "")
    case "WebSearch":
      return `*Web search:* ${escapeText(e.query)}`
    case "Plan":
      return [
        `**Plan**${e.explanation === null ? "" : ` — ${escapeText(e.explanation)}`}`,
        "",
        ...e.steps.map(
          (s) => `- [${s.status === "completed" ? "x" : " "}] ${escapeText(oneLine(s.step))}${s.status === "in_progress" ? " *(in progress)*" : ""}`
        )
      ].join("\n")
    case "Agent":
      return toolBlock(`⇄ sub-agent <code>${HtmlText.escape(e.tool)}</code>`, e.input, out)
    case "Message":
      return `*Message ${escapeText(e.author)} → ${escapeText(e.recipient)}:*\n\n${escapeText(e.content)
        .split("\n")
        .map((l) => `> ${l}`)
        .join("\n")}`
    case "Tool":
      return toolBlock(`⚙ tool <code>${HtmlText.escape(e.name)}</code>`, e.input, out)
    case "Notice":
      return `> **${e.level === "error" ? "Error" : e.level === "warning" ? "Warning" : "Retrying"}:** ${escapeText(oneLine(e.message, 600))}`
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

/**
 * The HTML export's blocks for work: a command as `<details>` whose summary shows the highlighted
 * command, an exit badge and the duration, with the output inside; a diff highlighted (folded in
 * `<details>` when long); searches, plans, tool calls, agent messages and errors as short blocks;
 * and the token strip of a turn. Everything from the rollout goes through `HtmlText` or `Highlight`.
 */
import type * as StatsTokens from "@rollout/reduce/StatsTokens"
import type * as WorkLog from "@rollout/reduce/WorkLog"
import * as Folded from "./Folded.js"
import * as Highlight from "./Highlight.js"
import * as Human from "./Human.js"
import { escape } from "./HtmlText.js"
import * as PatchText from "./PatchText.js"

// Output past this many lines is cut to its ends: the page must stay quick to open.
const HEAD = 1000
const TAIL = 200
const SHORT_DIFF = 40

const cut = (text: string): string => {
  const f = Folded.lines(text, HEAD, TAIL)
  return f.omitted === 0 ? f.head.join("\n") : [...f.head, `… ${Human.plural(f.omitted, "line")} left out …`, ...f.tail].join("\n")
}

const pre = (text: string, cls = "out"): string => `<pre class="${cls}">${escape(cut(text))}</pre>`
const hl = (text: string, language: string): string => `<pre class="code"><code class="hljs">${Highlight.code(cut(text), language)}</code></pre>`

/** A command with its exit badge and duration; the output folded inside. */
export const command = (cmd: string, exitCode: number | null, durationMs: number | null, output: string, status = "", running = false): string => {
  const failed = exitCode !== null && exitCode !== 0
  const badge = running
    ? `<span class="badge run">running</span>`
    : exitCode === null
      ? status === "" || status === "completed"
        ? ""
        : `<span class="badge">${escape(status)}</span>`
      : `<span class="badge ${failed ? "bad" : "ok"}">exit ${exitCode}</span>`
  const dur = durationMs === null ? "" : `<span class="dur">${escape(Human.duration(durationMs))}</span>`
  const summary = `<summary><span class="prompt">$</span><code class="hljs cmdline">${Highlight.code(cmd, "bash")}</code>${badge}${dur}</summary>`
  return `<details class="work cmd${failed ? " failed" : ""}">${summary}${output === "" ? `<p class="none">no output</p>` : pre(output)}</details>`
}

/** A diff under a path: shown when short, folded when long. */
export const diff = (title: string, text: string, status = ""): string => {
  const note = status === "" || status === "completed" ? "" : ` <span class="badge">${escape(status)}</span>`
  const head = `<span class="icon">✎</span><code>${escape(title)}</code>${note}`
  const lines = text.split("\n").length
  return lines <= SHORT_DIFF
    ? `<div class="work diff"><div class="head">${head}</div>${hl(text, "diff")}</div>`
    : `<details class="work diff"><summary>${head} <span class="dur">${lines} lines</span></summary>${hl(text, "diff")}</details>`
}

const tool = (icon: string, label: string, input: string, output: string): string => {
  const pretty = (() => {
    try {
      return JSON.stringify(JSON.parse(input), null, 2)
    } catch {
      return input
    }
  })()
  return `<details class="work tool"><summary><span class="icon">${icon}</span>${label}</summary>${hl(pretty, "json")}${output === "" ? "" : pre(output)}</details>`
}

const width = (part: number, whole: number): string => `w${whole <= 0 ? 0 : Math.round((part / whole) * 20)}`

/** The token strip: a bar as long as this turn's share of the thread's largest turn, split into cached input, other input and output. */
export const strip = (u: { readonly tokens: StatsTokens.Tokens; readonly model: string | null }, largest: number): string => {
  const t = u.tokens
  const fresh = Math.max(0, t.input - t.cachedInput)
  const sum = t.cachedInput + fresh + t.output
  const text = [
    `${Human.count(t.total)} tokens`,
    `${Human.count(t.input)} in${t.cachedInput > 0 ? ` (${Human.count(t.cachedInput)} cached)` : ""}`,
    `${Human.count(t.output)} out${t.reasoningOutput > 0 ? ` (${Human.count(t.reasoningOutput)} reasoning)` : ""}`,
    ...(u.model === null ? [] : [u.model])
  ].join(" · ")
  const bar = `<span class="bar ${width(t.total, largest)}"><i class="cached ${width(t.cachedInput, sum)}"></i><i class="fresh ${width(fresh, sum)}"></i><i class="output ${width(t.output, sum)}"></i></span>`
  return `<div class="strip">${bar}<span class="nums">${escape(text)}</span></div>`
}

/** One work entry as HTML. */
export const entry = (e: WorkLog.Entry): string => {
  const out = e.result?.output ?? ""
  switch (e._tag) {
    case "Command":
      return command(e.command, e.result?.exitCode ?? null, e.result?.durationMs ?? null, out, "", e.result?.running ?? false)
    case "Patch":
      return diff(`patch ${PatchText.paths(e.patch).join(", ")}`, PatchText.fromPatch(e.patch), e.result?.exitCode ? `exit ${e.result.exitCode}` : "")
    case "WebSearch":
      return `<p class="work note"><span class="icon">⌕</span>Web search: ${escape(e.query)}</p>`
    case "Plan": {
      const steps = e.steps
        .map((s) => `<li class="${s.status === "completed" ? "done" : s.status === "in_progress" ? "doing" : "todo"}">${escape(s.step)}</li>`)
        .join("")
      return `<div class="work plan"><div class="head"><span class="icon">☰</span>Plan${e.explanation === null ? "" : ` — ${escape(e.explanation)}`}</div><ul>${steps}</ul></div>`
    }
    case "Agent":
      return tool("⇄", `Sub-agent <code>${escape(e.tool)}</code>`, e.input, out)
    case "Message":
      return `<div class="work message"><div class="head"><span class="icon">✉</span>${escape(e.author)} → ${escape(e.recipient)}</div><div class="text">${escape(e.content)}</div></div>`
    case "Tool":
      return tool("⚙", `Tool <code>${escape(e.name)}</code>`, e.input, out)
    case "Notice":
      return `<p class="work notice ${e.level}">${e.level === "error" ? "Error" : e.level === "warning" ? "Warning" : "Retrying"}: ${escape(e.message)}</p>`
    default: {
      const unreachable: never = e
      return unreachable
    }
  }
}

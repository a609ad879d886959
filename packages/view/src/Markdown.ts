/**
 * A thread as one self-contained Markdown document (`rollout export --format markdown`): a header
 * with the thread's facts, then each turn with its messages, reasoning and tool calls, rendered
 * from the same turns `rollout history --json` prints. Tool output goes in collapsible `<details>`
 * blocks. Text from the rollout is escaped so that no HTML in it is live in a Markdown viewer and
 * no backtick run can end a code fence early. A pure renderer; it reads no files.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Html from "./Html.js"
import * as SafeUrl from "./internal/SafeUrl.js"

type Item = ThreadItem.ThreadItem

// An inline link or image target (`](url`) and a link reference definition (`[x]: url`), the two
// places Markdown reads a URL from text (autolinks need `<`, which is escaped).
const INLINE_TARGET = /\]\(([ \t\n]*<?)([^\s)>]*)/g
const DEFINITION = /^( {0,3})\[([^\]\n]*)\]:([ \t]*<?)(\S*)/gm

/** Links whose target is not a safe scheme become inert text (`]\(`, `\[x]:`); the text stays readable. */
export const inertLinks = (text: string): string =>
  text
    .replace(INLINE_TARGET, (all, pre: string, url: string) => (SafeUrl.isSafe(url) ? all : `]\\(${pre}${url}`))
    .replace(DEFINITION, (all, indent: string, label: string, pre: string, url: string) => (SafeUrl.isSafe(url) ? all : `${indent}\\[${label}]:${pre}${url}`))

/** Escapes what a Markdown renderer would treat as HTML, entities or an unsafe link; the text stays readable. */
export const escapeText = (text: string): string => inertLinks(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"))

/** A fenced code block whose fence is longer than any backtick run inside. */
export const fence = (text: string, info = ""): string => {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const f = "`".repeat(Math.max(3, longest + 1))
  return `${f}${info}\n${text}${text.endsWith("\n") ? "" : "\n"}${f}`
}

/** Inline code whose delimiters are longer than any backtick run inside. */
const code = (text: string): string => {
  const oneLine = text.replace(/\s*\n\s*/g, " ")
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length))
  const d = "`".repeat(longest + 1)
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : ""
  return `${d}${pad}${oneLine}${pad}${d}`
}

const details = (summary: string, body: string): string => `<details><summary>${escapeText(summary)}</summary>\n\n${body}\n\n</details>`

const quote = (text: string): string =>
  escapeText(text)
    .split("\n")
    .map((l) => `> ${l}`)
    .join("\n")

const json = (value: unknown): string => JSON.stringify(value, null, 2)

const time = (seconds: number | null | undefined): string => (seconds === null || seconds === undefined ? "" : new Date(seconds * 1000).toISOString())

const userInput = (c: ThreadItem.UserInput): string => {
  switch (c.type) {
    case "text":
      return quote(c.text)
    case "image": {
      // Embedded only when it is data already (an exported document loads nothing), and only a
      // well-formed base64 image URL: anything else could close the link and carry markup.
      const src = Html.dataImage(c.url)
      return src !== undefined ? `> ![image](${src})` : `> [image: ${escapeText(c.url)}]`
    }
    case "localImage":
      return `> [local image: ${escapeText(c.path)}]`
    case "audio":
      return `> [audio: ${escapeText(c.url)}]`
    case "localAudio":
      return `> [local audio: ${escapeText(c.path)}]`
    default:
      return `> [${escapeText((c as { type: string }).type)}]`
  }
}

export const item = (i: Item): string => {
  switch (i.type) {
    case "userMessage":
      return `**User**\n\n${i.content.map(userInput).join("\n>\n")}`
    case "hookPrompt":
      return `**Hook prompt**\n\n${i.fragments.map((f) => quote(f.text)).join("\n>\n")}`
    case "agentMessage":
      return `**Assistant**${i.phase === "commentary" ? " (commentary)" : ""}\n\n${escapeText(i.text)}`
    case "plan":
      return `**Plan**\n\n${escapeText(i.text)}`
    case "reasoning":
      return details("Reasoning", escapeText([...i.summary, ...i.content].join("\n\n")))
    case "commandExecution":
      return details(`$ ${i.command}${i.exitCode === null ? "" : ` (exit ${i.exitCode})`} [${i.status}]`, fence(i.aggregatedOutput ?? ""))
    case "fileChange":
      return details(
        `File changes [${i.status}]: ${i.changes.map((c) => c.path).join(", ")}`,
        i.changes.map((c) => `${code(c.path)} (${c.kind.type})\n\n${fence(c.diff, "diff")}`).join("\n\n")
      )
    case "mcpToolCall":
      return details(`MCP ${i.server}.${i.tool} [${i.status}]`, fence(json({ arguments: i.arguments, result: i.result, error: i.error }), "json"))
    case "dynamicToolCall":
      return details(
        `Tool ${i.namespace === null ? "" : `${i.namespace}.`}${i.tool} [${i.status}]`,
        fence(json({ arguments: i.arguments, contentItems: i.contentItems }), "json")
      )
    case "collabAgentToolCall":
      return details(
        `Agent ${i.tool} [${i.status}] → ${i.receiverThreadIds.join(", ")}`,
        fence(json({ prompt: i.prompt, agentsStates: i.agentsStates }), "json")
      )
    case "subAgentActivity":
      return `*Sub-agent ${escapeText(i.agentPath)} ${i.kind}* (${code(i.agentThreadId)})`
    case "webSearch":
      return `*Web search:* ${escapeText(i.query)}`
    case "imageView":
      return `*Viewed image:* ${code(i.path)}`
    case "sleep":
      return `*Slept ${i.durationMs} ms*`
    case "imageGeneration":
      return `**Generated image** [${escapeText(i.status)}]${i.revisedPrompt === null ? "" : `: ${escapeText(i.revisedPrompt)}`}${i.result === "" ? "" : `\n\n![generated image](data:image/png;base64,${i.result.replace(/[^A-Za-z0-9+/=]/g, "")})`}`
    case "enteredReviewMode":
      return `*Entered review mode:* ${escapeText(i.review)}`
    case "exitedReviewMode":
      return `**Review**\n\n${escapeText(i.review)}`
    case "contextCompaction":
      return "*Context compacted*"
    default: {
      const unreachable: never = i
      return `[${(unreachable as { type: string }).type}]`
    }
  }
}

const turn = (t: ThreadItem.Turn, n: number): string => {
  const facts = [t.status, time(t.startedAt), t.durationMs === null ? "" : `${(t.durationMs / 1000).toFixed(1)} s`].filter((f) => f !== "").join(" · ")
  const error = t.error === null ? "" : `\n\n> **Error:** ${escapeText(t.error.message)}`
  return [`## Turn ${n + 1} — ${facts}${error}`, ...t.items.map(item)].join("\n\n")
}

export const render = (thread: ThreadItem.Thread): string => {
  const title = thread.name ?? (thread.preview.split("\n")[0] || thread.id)
  const facts = [
    `- Thread: ${code(thread.id)}`,
    `- Created: ${time(thread.createdAt)}`,
    `- Working directory: ${code(thread.cwd)}`,
    ...(thread.model === null ? [] : [`- Model: ${code(thread.model)}`]),
    `- Codex: ${escapeText(thread.cliVersion)} (${escapeText(thread.originator)})`,
    `- Turns: ${thread.turns.length}`
  ]
  return `${[`# ${escapeText(title)}`, facts.join("\n"), ...thread.turns.map(turn)].join("\n\n")}\n`
}

/**
 * A thread as one self-contained Markdown document (`rollout export --format markdown`): a header
 * with the thread's facts and a table of contents, then each turn with its messages, reasoning and
 * the work between them (`WorkedTurns`: the turns `rollout history --json` prints, plus the
 * commands, patches and tool calls of the work log). Tool output goes in collapsible `<details>`
 * blocks, patches in `diff` fences. Text from the rollout is escaped so that no HTML in it is live in a Markdown viewer and
 * no backtick run can end a code fence early. A pure renderer; it reads no files.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Html from "./Html.js"
import * as Human from "./internal/Human.js"
import * as MarkdownWork from "./internal/MarkdownWork.js"
import * as PatchText from "./internal/PatchText.js"
import * as MarkdownText from "./internal/MarkdownText.js"
import * as TurnTitle from "./internal/TurnTitle.js"
import * as WorkedTurns from "./WorkedTurns.js"

type Item = ThreadItem.ThreadItem

/** Links whose target is not a safe scheme become inert text (`]\\(`, `\\[x]:`); the text stays readable. */
export const inertLinks = MarkdownText.inertLinks

/** Escapes what a Markdown renderer would treat as HTML, entities or an unsafe link; the text stays readable. */
export const escapeText = MarkdownText.escapeText

/** A fenced code block whose fence is longer than any backtick run inside. */
export const fence = MarkdownText.fence

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
      return `**Assistant**${i.phase === "commentary" ? " (commentary)" : ""}\n\n${MarkdownText.escapeMarkdown(i.text)}`
    case "plan":
      return `**Plan**\n\n${MarkdownText.escapeMarkdown(i.text)}`
    case "reasoning":
      return details("Reasoning", MarkdownText.escapeMarkdown([...i.summary, ...i.content].join("\n\n")))
    case "commandExecution":
      return MarkdownWork.command(i.command, i.exitCode, i.durationMs, i.aggregatedOutput ?? "", i.status)
    case "fileChange":
      return i.changes.map((c) => MarkdownWork.diff(`${c.path} (${c.kind.type})`, PatchText.ofChange(c.kind.type, c.diff), i.status)).join("\n\n")
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
      return `**Review**\n\n${MarkdownText.escapeMarkdown(i.review)}`
    case "contextCompaction":
      return "*Context compacted*"
    default: {
      const unreachable: never = i
      return `[${(unreachable as { type: string }).type}]`
    }
  }
}

const turn = (t: WorkedTurns.TurnView, zone: string | undefined): string => {
  const facts = [
    t.turn.status,
    Human.time(t.turn.startedAt, zone),
    Human.duration(t.turn.durationMs),
    ...(t.usage === null ? [] : [MarkdownWork.usage(t.usage)])
  ]
    .filter((f) => f !== "")
    .join(" · ")
  const error = t.turn.error === null ? "" : `\n\n> **Error:** ${escapeText(t.turn.error.message)}`
  const parts = t.parts.map((p) => (p._tag === "Item" ? item(p.item) : MarkdownWork.entry(p.entry)))
  return [`<a id="turn-${t.n}"></a>\n\n## Turn ${t.n} — ${escapeText(facts)}${error}`, ...parts].join("\n\n")
}

/** A turn's line in the table of contents, linking to it: what the user asked, and how much work it took. */
export const contentsRow = (t: WorkedTurns.TurnView): string => {
  const facts = [Human.plural(WorkedTurns.commandCount(t), "command"), Human.duration(t.turn.durationMs)].filter((f) => f !== "").join(" · ")
  return `${t.n}. [${escapeText(TurnTitle.of(t.turn)).replace(/[[\]]/g, "\\$&")}](#turn-${t.n}) — ${facts}`
}

/** The table of contents' rows, read once: an array, or a streamed export's rows kept outside memory. */
export type Contents = Iterable<string> & { readonly length: number }

/**
 * The document up to its first turn, handed to `put` in pieces: the title, the thread's facts
 * and, for more than one turn, the table of contents (`rows`, one `contentsRow` per turn, so also
 * the number of turns), a row at a time. A streamed export learns the rows in a first pass, then
 * writes the head, each `turnPart` and `end`.
 */
export const writeHead = (thread: ThreadItem.Thread, rows: Contents, put: (text: string) => void, zone?: string): void => {
  const title = thread.name ?? (thread.preview.split("\n")[0] || thread.id)
  const facts = [
    `- Thread: ${code(thread.id)}`,
    `- Created: ${Human.time(thread.createdAt, zone)}`,
    `- Working directory: ${code(thread.cwd)}`,
    ...(thread.model === null ? [] : [`- Model: ${code(thread.model)}`]),
    `- Codex: ${escapeText(thread.cliVersion)} (${escapeText(thread.originator)})`,
    `- Turns: ${rows.length}`
  ]
  put(`# ${escapeText(title)}\n\n${facts.join("\n")}`)
  if (rows.length <= 1) return
  put("\n\n**Turns**\n\n")
  let first = true
  for (const row of rows) {
    put(first ? row : `\n${row}`)
    first = false
  }
}

/** `writeHead` as one string. */
export const head = (thread: ThreadItem.Thread, rows: ReadonlyArray<string>, zone?: string): string => {
  let text = ""
  writeHead(thread, rows, (t) => (text += t), zone)
  return text
}

/** One turn of the document, with the blank line before it. */
export const turnPart = (t: WorkedTurns.TurnView, zone?: string): string => `\n\n${turn(t, zone)}`

/** The document's end, after the last turn. */
export const end = "\n"

/**
 * The thread as a Markdown document that reads well on GitHub: its facts, a table of contents,
 * then each turn with its messages and work (commands and long output in `<details>`, patches in
 * `diff` fences). `zone` is the IANA zone times are shown in (the machine's when omitted).
 */
export const render = (input: WorkedTurns.Input | ThreadItem.Thread, zone?: string): string => {
  const i: WorkedTurns.Input = "turns" in input ? { thread: input } : input
  const turns = WorkedTurns.turns(i)
  return `${head(i.thread, turns.map(contentsRow), zone)}${turns.map((t) => turnPart(t, zone)).join("")}${end}`
}

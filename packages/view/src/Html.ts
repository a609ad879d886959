/**
 * A thread as one self-contained HTML page (`rollout export --format html`): one stylesheet with
 * light and dark themes, no script at all (a Content-Security-Policy says so), no external asset
 * (images are embedded only when they already are data URLs or base64 results). Messages are
 * Markdown rendered without raw HTML and with safe links only; code and diffs are highlighted when
 * the page is written. A table of contents links every turn; each turn has its token strip, human
 * times and durations, and its work (`WorkedTurns`) with commands and output in `<details>`.
 * A pure renderer.
 */
import { createHash } from "node:crypto"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as HtmlMarkdown from "./internal/HtmlMarkdown.js"
import * as HtmlStyle from "./internal/HtmlStyle.js"
import * as HtmlText from "./internal/HtmlText.js"
import * as HtmlWork from "./internal/HtmlWork.js"
import * as Human from "./internal/Human.js"
import * as PatchText from "./internal/PatchText.js"
import * as TurnTitle from "./internal/TurnTitle.js"
import * as WorkedTurns from "./WorkedTurns.js"

type Item = ThreadItem.ThreadItem

/** Escapes text for element content and quoted attribute values. */
export const escape = HtmlText.escape

/** A data URL safe to embed in `src`: an image MIME type and base64 payload, nothing else. */
export const dataImage = (url: string): string | undefined =>
  /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]*$/i.test(url) ? url.replace(/\s/g, "") : undefined

// The page allows its own stylesheet (by hash), data images, and nothing else: no script at all.
const styleHash = createHash("sha256").update(HtmlStyle.css).digest("base64")

/** The page's Content-Security-Policy. */
export const policy = `default-src 'none'; img-src data:; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'`

const pre = (text: string): string => `<pre>${escape(text)}</pre>`
const details = (summary: string, body: string, cls = "tool"): string => `<details class="${cls}"><summary>${escape(summary)}</summary>${body}</details>`
const message = (cls: string, role: string, body: string): string => `<div class="msg ${cls}"><span class="role">${escape(role)}</span>${body}</div>`
const markdown = (text: string): string => `<div class="md">${HtmlMarkdown.render(text)}</div>`
const plain = (html: string): string => `<div class="text">${html}</div>`
const note = (text: string): string => `<p class="note">${escape(text)}</p>`
const json = (value: unknown): string => pre(JSON.stringify(value, null, 2))

const userInput = (c: ThreadItem.UserInput): string => {
  switch (c.type) {
    case "text":
      return escape(c.text)
    case "image": {
      const src = dataImage(c.url)
      return src === undefined ? `[image: ${escape(c.url)}]` : `<img alt="image" src="${escape(src)}">`
    }
    case "localImage":
      return `[local image: ${escape(c.path)}]`
    case "audio":
      return `[audio: ${escape(c.url)}]`
    case "localAudio":
      return `[local audio: ${escape(c.path)}]`
    default:
      return `[${escape((c as { type: string }).type)}]`
  }
}

export const item = (i: Item): string => {
  switch (i.type) {
    case "userMessage":
      return message("user", "User", plain(i.content.map(userInput).join("\n")))
    case "hookPrompt":
      return message("user", "Hook prompt", plain(i.fragments.map((f) => escape(f.text)).join("\n")))
    case "agentMessage":
      return i.phase === "commentary"
        ? message("assistant commentary", "Assistant (commentary)", markdown(i.text))
        : message("assistant", "Assistant", markdown(i.text))
    case "plan":
      return message("assistant", "Plan", markdown(i.text))
    case "reasoning":
      return details("Reasoning", markdown([...i.summary, ...i.content].join("\n\n")), "work reasoning")
    case "commandExecution":
      return HtmlWork.command(i.command, i.exitCode, i.durationMs, i.aggregatedOutput ?? "", i.status)
    case "fileChange":
      return i.changes.map((c) => HtmlWork.diff(`${c.path} (${c.kind.type})`, PatchText.ofChange(c.kind.type, c.diff), i.status)).join("")
    case "mcpToolCall":
      return details(`MCP ${i.server}.${i.tool} [${i.status}]`, json({ arguments: i.arguments, result: i.result, error: i.error }))
    case "dynamicToolCall":
      return details(
        `Tool ${i.namespace === null ? "" : `${i.namespace}.`}${i.tool} [${i.status}]`,
        json({ arguments: i.arguments, contentItems: i.contentItems })
      )
    case "collabAgentToolCall":
      return details(`Agent ${i.tool} [${i.status}] → ${i.receiverThreadIds.join(", ")}`, json({ prompt: i.prompt, agentsStates: i.agentsStates }))
    case "subAgentActivity":
      return note(`Sub-agent ${i.agentPath} ${i.kind} (${i.agentThreadId})`)
    case "webSearch":
      return note(`Web search: ${i.query}`)
    case "imageView":
      return note(`Viewed image: ${i.path}`)
    case "sleep":
      return note(`Slept ${i.durationMs} ms`)
    case "imageGeneration": {
      const src = i.result === "" ? undefined : dataImage(`data:image/png;base64,${i.result}`)
      const caption = `Generated image [${i.status}]${i.revisedPrompt === null ? "" : `: ${i.revisedPrompt}`}`
      return `<figure>${src === undefined ? "" : `<img alt="generated image" src="${escape(src)}">`}<figcaption>${escape(caption)}</figcaption></figure>`
    }
    case "enteredReviewMode":
      return note(`Entered review mode: ${i.review}`)
    case "exitedReviewMode":
      return message("assistant", "Review", escape(i.review))
    case "contextCompaction":
      return note("Context compacted")
    default: {
      const unreachable: never = i
      return note(`[${(unreachable as { type: string }).type}]`)
    }
  }
}

const time = (seconds: number | null | undefined, zone: string | undefined): string =>
  seconds === null || seconds === undefined ? "" : `<time datetime="${Human.iso(seconds)}">${escape(Human.time(seconds, zone))}</time>`

const turn = (t: WorkedTurns.TurnView, zone: string | undefined, largest: number): string => {
  const facts = [escape(t.turn.status), time(t.turn.startedAt, zone), escape(Human.duration(t.turn.durationMs))].filter((f) => f !== "").join(" · ")
  const error = t.turn.error === null ? "" : `<p class="error">Error: ${escape(t.turn.error.message)}</p>`
  const strip = t.usage === null ? "" : HtmlWork.strip(t.usage, largest)
  const parts = t.parts.map((p) => (p._tag === "Item" ? item(p.item) : HtmlWork.entry(p.entry))).join("\n")
  return `<section class="turn status-${escape(t.turn.status)}" id="turn-${t.n}"><h2><a class="n" href="#turn-${t.n}">Turn ${t.n}</a><span class="facts">${facts}</span></h2>${strip}${error}\n${parts}\n</section>`
}

/** A turn's entry in the table of contents. */
const contentsRow = (t: WorkedTurns.TurnView): string => {
  const commands = WorkedTurns.commandCount(t)
  const meta = [commands === 0 ? "" : Human.plural(commands, "cmd"), Human.duration(t.turn.durationMs)].filter((f) => f !== "").join(" · ")
  return `<li class="status-${escape(t.turn.status)}${t.turn.status === "failed" ? " failed" : ""}"><a href="#turn-${t.n}"><span class="t">${escape(TurnTitle.of(t.turn))}</span><span class="m">${escape(meta)}</span></a></li>`
}

/**
 * What the page's head needs of its turns, gathered one turn at a time (`add`): the table of
 * contents' rows (so also the number of turns), the largest turn's tokens (every token strip is
 * drawn to its scale) and the thread's. A streamed export fills it in a first pass.
 */
export interface Outline {
  /** An array, or a streamed export's rows kept outside memory (read once, by `writeHead`). */
  readonly rows: Iterable<string> & { readonly length: number; readonly push: (row: string) => unknown }
  largest: number
  total: number
}

export const outline = (): Outline => ({ rows: [] as string[], largest: 0, total: 0 })

export const add = (o: Outline, t: WorkedTurns.TurnView): void => {
  o.rows.push(contentsRow(t))
  const tokens = t.usage?.tokens.total ?? 0
  // A loop, not Math.max over a spread: a thread of many turns would overflow the stack.
  if (tokens > o.largest) o.largest = tokens
  o.total += tokens
}

/** The page up to its first turn (head, facts and table of contents), handed to `put` in pieces: the rows one at a time. */
export const writeHead = (thread: ThreadItem.Thread, o: Outline, put: (text: string) => void, zone?: string): void => {
  const title = thread.name ?? (thread.preview.split("\n")[0] || thread.id)
  const facts: Array<[string, string]> = [
    ["Thread", escape(thread.id)],
    ["Created", time(thread.createdAt, zone)],
    ["Working directory", escape(thread.cwd)],
    ...(thread.model === null ? [] : [["Model", escape(thread.model)] as [string, string]]),
    ["Codex", escape(`${thread.cliVersion} (${thread.originator})`)],
    ["Turns", String(o.rows.length)],
    ...(o.total === 0 ? [] : [["Tokens", escape(Human.count(o.total))] as [string, string]])
  ]
  put(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>${HtmlStyle.css}</style>
</head>
<body>
<header class="page"><h1>${escape(title)}</h1>
<dl class="facts">${facts.map(([k, v]) => `<dt>${escape(k)}</dt><dd>${v}</dd>`).join("")}</dl></header>
<div class="layout">
<nav class="toc" aria-label="Turns"><details open><summary>${escape(Human.plural(o.rows.length, "turn"))}</summary><ol>`)
  for (const row of o.rows) put(row)
  put("</ol></details></nav>\n<main>\n")
}

/** `writeHead` as one string. */
export const head = (thread: ThreadItem.Thread, o: Outline, zone?: string): string => {
  let text = ""
  writeHead(thread, o, (t) => (text += t), zone)
  return text
}

/** One turn of the page, with the line break after it; `o` is the whole page's outline. */
export const turnPart = (t: WorkedTurns.TurnView, o: Outline, zone?: string): string => `${turn(t, zone, o.largest)}\n`

/** The page's end, after its `count` turns. */
export const end = (count: number): string => `${count === 0 ? "\n" : ""}</main>
</div>
</body>
</html>
`

/**
 * The thread as one page: its facts, a table of contents of its turns, and each turn with its
 * token strip, messages (Markdown rendered) and work. `zone` is the IANA zone times are shown in
 * (the machine's when omitted).
 */
export const render = (input: WorkedTurns.Input | ThreadItem.Thread, zone?: string): string => {
  const i: WorkedTurns.Input = "turns" in input ? { thread: input } : input
  const turns = WorkedTurns.turns(i)
  const o = outline()
  for (const t of turns) add(o, t)
  return `${head(i.thread, o, zone)}${turns.map((t) => turnPart(t, o, zone)).join("")}${end(turns.length)}`
}

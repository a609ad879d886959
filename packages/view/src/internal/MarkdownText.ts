/**
 * Text from a rollout made safe and literal inside Markdown: HTML and entities escaped, links with
 * an unsafe scheme made inert (`SafeUrl`), and code fences longer than any backtick run inside.
 * Shared by the document writer (`Markdown`) and its work entries (`MarkdownWork`).
 */
import * as SafeUrl from "./SafeUrl.js"

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

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/
/**
 * Markdown an agent wrote, kept readable: fenced code blocks stay as written (inside them nothing
 * is live, and an escaped `=>` would show as `=&gt;`), the prose around them is escaped as
 * `escapeText` does (code spans too: where a span ends depends on backslashes and runs, and a
 * wrong guess would leave markup live). A fence left open is closed at the end, so it cannot swallow the
 * rest of the document.
 */
export const escapeMarkdown = (text: string): string => {
  const lines = text.split("\n")
  const out: Array<string> = []
  let prose: Array<string> = []
  const flush = () => {
    if (prose.length > 0) out.push(escapeText(prose.join("\n")))
    prose = []
  }
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i] as string)
    // An info string with a backtick cannot open a backtick fence (CommonMark): that line is prose.
    if (open === null || (open[1]?.startsWith("`") && (lines[i] as string).slice(open[0].length).includes("`"))) {
      prose.push(lines[i] as string)
      continue
    }
    flush()
    const marker = open[1] as string
    const closes = (l: string) => new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`).test(l)
    const block = [lines[i] as string]
    let j = i + 1
    for (; j < lines.length && !closes(lines[j] as string); j++) block.push(lines[j] as string)
    block.push(j < lines.length ? (lines[j] as string) : marker)
    out.push(block.join("\n"))
    i = j
  }
  flush()
  return out.join("\n")
}

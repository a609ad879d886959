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

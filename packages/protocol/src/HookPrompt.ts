/**
 * Hook prompt fragments: the `<hook_prompt hook_run_id="…">…</hook_prompt>` texts Codex records
 * as a synthetic user `message` when a Stop hook continues a turn, one `input_text` per fragment.
 * `build*` writes them as Codex's XML serializer does; `parse*` reads them as Codex's XML
 * deserializer accepts them, with a small hand-rolled reader (one element, attributes, text,
 * entity and character references, CDATA and comments; nothing else). It does not run hooks or
 * decide when a turn continues.
 */
import { Schema } from "effect"
import type { ContentItem, InputText } from "./ContentItem.js"
import type { Message } from "./ResponseItem.js"

/** One continuation prompt and the hook run that produced it (`hookRunId` as in the v2 TurnItem). */
export const HookPromptFragment = Schema.Struct({ text: Schema.String, hookRunId: Schema.String })
export type HookPromptFragment = typeof HookPromptFragment.Type

const ELEMENT = "hook_prompt"
const ATTRIBUTE = "hook_run_id"

/** Rust's `str::trim` (Unicode White_Space); JS `trim` differs on U+0085 and U+FEFF. */
const RUST_WS = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
const RUST_TRIM = new RegExp(`^[${RUST_WS}]+|[${RUST_WS}]+$`, "g")
const rustTrim = (s: string): string => s.replace(RUST_TRIM, "")

/** Whether a hook run id is empty or whitespace-only (such fragments are never written). */
export const isBlankHookRunId = (id: string): boolean => rustTrim(id) === ""

// quick-xml escapes text minimally and attributes (double-quoted) additionally for `"`.
const escapeText = (s: string): string => s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"))
const escapeAttribute = (s: string): string => s.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"))

/**
 * The XML text of one fragment. An empty text gives a self-closing element (what the serializer
 * most likely writes; unverified against a real file, so avoid empty fragments).
 */
export const renderFragment = (fragment: HookPromptFragment): string => {
  const open = `<${ELEMENT} ${ATTRIBUTE}="${escapeAttribute(fragment.hookRunId)}"`
  return fragment.text === "" ? `${open}/>` : `${open}>${escapeText(fragment.text)}</${ELEMENT}>`
}

/** The content items for some fragments: one `input_text` each, blank hook run ids dropped. */
export const build = (fragments: ReadonlyArray<HookPromptFragment>): ReadonlyArray<InputText> =>
  fragments.filter((fragment) => !isBlankHookRunId(fragment.hookRunId)).map((fragment) => ({ type: "input_text", text: renderFragment(fragment) }))

/**
 * The user message Codex records for a hook continuation, or `undefined` when no fragment is left
 * (Codex then records nothing). `id` is a fresh `msg_<UUIDv7>` for current Codex; pass
 * `undefined` to emulate builds that did not write ids.
 */
export const buildMessage = (fragments: ReadonlyArray<HookPromptFragment>, id: string | undefined): Message | undefined => {
  const content = build(fragments)
  if (content.length === 0) return undefined
  return id === undefined ? { type: "message", role: "user", content } : { type: "message", id, role: "user", content }
}

const XML_WS = new Set([" ", "\t", "\n", "\r"])
const END_TAG = new RegExp(`^</${ELEMENT}[ \\t\\n\\r]*>$`)
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }

/** The character an entity or character reference body (between `&` and `;`) stands for. */
const resolveReference = (body: string): string | undefined => {
  const named = NAMED_ENTITIES[body]
  if (named !== undefined) return named
  const match = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body)
  if (match === null) return undefined
  const code = match[1] !== undefined ? parseInt(match[1], 16) : parseInt(match[2] ?? "", 10)
  if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) return undefined
  return String.fromCodePoint(code)
}

/** `raw` with entity and character references resolved; `undefined` if one is malformed. */
const unescape = (raw: string): string | undefined => {
  let out = ""
  let i = 0
  for (let amp = raw.indexOf("&"); amp >= 0; amp = raw.indexOf("&", i)) {
    const semi = raw.indexOf(";", amp)
    const resolved = semi < 0 ? undefined : resolveReference(raw.slice(amp + 1, semi))
    if (resolved === undefined) return undefined
    out += raw.slice(i, amp) + resolved
    i = semi + 1
  }
  return out + raw.slice(i)
}

interface StartTag {
  readonly attributes: ReadonlyMap<string, string>
  /** The index just after the start tag. */
  readonly end: number
  readonly selfClosing: boolean
}

/** The start tag at the beginning of `s` (already known to open with `<hook_prompt`). */
const readStartTag = (s: string): StartTag | undefined => {
  const attributes = new Map<string, string>()
  let i = 1 + ELEMENT.length
  for (;;) {
    const before = i
    while (XML_WS.has(s[i] ?? "")) i++
    if (s.startsWith("/>", i)) return { attributes, end: i + 2, selfClosing: true }
    if (s[i] === ">") return { attributes, end: i + 1, selfClosing: false }
    if (i === before) return undefined
    const name = /^[^\s=/>"'<&]+/.exec(s.slice(i))?.[0]
    if (name === undefined || attributes.has(name)) return undefined
    i += name.length
    while (XML_WS.has(s[i] ?? "")) i++
    if (s[i] !== "=") return undefined
    i++
    while (XML_WS.has(s[i] ?? "")) i++
    const quote = s[i]
    if (quote !== '"' && quote !== "'") return undefined
    const close = s.indexOf(quote, i + 1)
    if (close < 0) return undefined
    const raw = s.slice(i + 1, close)
    const value = raw.includes("<") ? undefined : unescape(raw)
    if (value === undefined) return undefined
    attributes.set(name, value)
    i = close + 1
  }
}

/** The element text from `from` to the end tag, which must close the input. */
const readContent = (s: string, from: number): string | undefined => {
  let text = ""
  let i = from
  while (i < s.length) {
    if (s.startsWith("<![CDATA[", i)) {
      const end = s.indexOf("]]>", i + 9)
      if (end < 0) return undefined
      text += s.slice(i + 9, end)
      i = end + 3
    } else if (s.startsWith("<!--", i)) {
      const end = s.indexOf("-->", i + 4)
      if (end < 0) return undefined
      i = end + 3
    } else if (s[i] === "<") {
      return END_TAG.test(s.slice(i)) ? text : undefined
    } else {
      const next = s.indexOf("<", i)
      const chunk = s.slice(i, next < 0 ? s.length : next)
      const resolved = unescape(chunk)
      if (resolved === undefined) return undefined
      text += resolved
      i += chunk.length
    }
  }
  return undefined
}

/**
 * The fragment a text holds, or `undefined`: after trimming, the text must be exactly one
 * `hook_prompt` element whose `hook_run_id` attribute is not blank. Extra attributes are
 * tolerated; the element text is returned as written (references resolved, not trimmed).
 */
export const parseFragment = (text: string): HookPromptFragment | undefined => {
  const s = rustTrim(text)
  if (!s.startsWith(`<${ELEMENT}`)) return undefined
  const start = readStartTag(s)
  if (start === undefined) return undefined
  const hookRunId = start.attributes.get(ATTRIBUTE)
  if (hookRunId === undefined || isBlankHookRunId(hookRunId)) return undefined
  const body = start.selfClosing ? (start.end === s.length ? "" : undefined) : readContent(s, start.end)
  return body === undefined ? undefined : { text: body, hookRunId }
}

/**
 * The fragments of a message's content when it is a hook prompt: at least one item, and every
 * item an `input_text` that parses as a fragment. Otherwise `undefined` (an ordinary message).
 */
export const parse = (content: ReadonlyArray<ContentItem>): ReadonlyArray<HookPromptFragment> | undefined => {
  if (content.length === 0) return undefined
  const fragments: Array<HookPromptFragment> = []
  for (const item of content) {
    const fragment = item.type === "input_text" ? parseFragment((item as InputText).text) : undefined
    if (fragment === undefined) return undefined
    fragments.push(fragment)
  }
  return fragments
}

/** Whether a message's content is a hook prompt (see {@link parse}). */
export const isHookPromptMessage = (content: ReadonlyArray<ContentItem>): boolean => parse(content) !== undefined

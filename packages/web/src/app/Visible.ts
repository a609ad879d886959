/**
 * Text from a rollout made safe to show: every control character but newline, tab and carriage
 * return, and every bidirectional override or isolate, becomes a visible escape (`\x1b`,
 * `\u202e`), as the CLI shows them on a terminal. An override would otherwise reverse the text
 * after it in a title or a message ("Trojan source" spoofing), and a raw ESC shows as a blank box.
 * Applied to every string the API answers, so no view can forget it. Not an HTML escaper: Preact
 * escapes markup itself.
 */

const CLASS = "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]"
const ANY = new RegExp(CLASS)
const ALL = new RegExp(CLASS, "g")

const escape = (c: string): string => {
  const n = c.charCodeAt(0)
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u${n.toString(16).padStart(4, "0")}`
}

/** `text` with its hidden characters shown as escapes. */
export const text = (s: string): string => (ANY.test(s) ? s.replace(ALL, escape) : s)

/** A `JSON.parse` reviver applying `text` to every string value. */
export const reviver = (_key: string, value: unknown): unknown => (typeof value === "string" ? text(value) : value)

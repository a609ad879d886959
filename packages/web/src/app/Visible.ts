/**
 * Text from a rollout made safe to show: every control character but newline, tab and carriage
 * return, and every bidirectional override or isolate, becomes a visible escape (`\x1b`,
 * `\u202e`), as the CLI shows them on a terminal (`Terminal.page`). An override would otherwise
 * reverse the text after it in a title or a message ("Trojan source" spoofing), and a raw ESC shows
 * as a blank box. Applied to every string the API answers, so no view can forget it. Not an HTML
 * escaper: Preact escapes markup itself.
 */
import * as Terminal from "@rollout/view/Terminal"

/** `text` with its hidden characters shown as escapes. */
export const text = Terminal.page

/** A `JSON.parse` reviver applying `text` to every string value. */
export const reviver = (_key: string, value: unknown): unknown => (typeof value === "string" ? text(value) : value)

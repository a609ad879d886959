/**
 * The HTML export's pieces for a page that is not one self-contained file (`rollout serve`'s web
 * app): one turn as the export draws it (token strip, messages with Markdown rendered safely, work
 * folded in `<details>`), the turn's one-line title, and the export's stylesheet to serve beside
 * it. Everything from the rollout is escaped or goes through the sanitising Markdown renderer, as
 * in the export; nothing here is a script. A pure renderer.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as Html from "./Html.js"
import * as HtmlStyle from "./internal/HtmlStyle.js"
import * as HtmlWork from "./internal/HtmlWork.js"
import * as Human from "./internal/Human.js"
import * as TurnTitle from "./internal/TurnTitle.js"
import type * as WorkedTurns from "./WorkedTurns.js"

/** The export's stylesheet (light and dark by `prefers-color-scheme`, highlighted code). */
export const css = HtmlStyle.css

/** A turn's title: the first line of what the user asked, clipped. */
export const title = (turn: ThreadItem.Turn, max = 90): string => TurnTitle.of(turn, max)

/** A duration as the export writes it (`1.2 s`, `3 min 4 s`). */
export const duration = Human.duration

/** A token count as the export writes it (`12.3k`). */
export const count = Human.count

/**
 * The body of one turn (no heading): its token strip, bar scaled against `largest` (the thread's
 * largest turn), its error, and its items and work in order.
 */
export const turnBody = (t: WorkedTurns.TurnView, largest: number): string => {
  const strip = t.usage === null ? "" : HtmlWork.strip(t.usage, largest)
  const error = t.turn.error === null ? "" : `<p class="error">Error: ${Html.escape(t.turn.error.message)}</p>`
  return `${strip}${error}${t.parts.map((p) => (p._tag === "Item" ? Html.item(p.item) : HtmlWork.entry(p.entry))).join("\n")}`
}

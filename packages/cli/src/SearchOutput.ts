/**
 * What `rollout search` prints for its hits, shared by the full command (`SearchCommand`) and its
 * quick path (`SearchQuick`) so both answer byte for byte alike: the human listing, or with
 * `--json` `{"data": Hit[], "total": N}` where each hit carries its `resumeCommand`. Text only.
 */
import type * as SearchDoc from "@rollout/store/SearchDoc"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import * as Terminal from "@rollout/view/Terminal"
import * as ResumeHint from "./ResumeHint.js"

export const KINDS = ["user", "agent", "tool_call", "tool_output"] as const satisfies ReadonlyArray<SearchDoc.Kind>

/** Whether `text` holds a word to search for (else the command refuses it as a usage error). */
export const hasWord = (text: string): boolean => /[\p{L}\p{N}_]/u.test(text)

const human = (hits: ReadonlyArray<ThreadSearch.Hit>, total: number): string => {
  if (hits.length === 0) return "no matches\n"
  const lines = hits.map((h) => {
    // Counted from 1, as `history`, `export` and the web app number turns (the JSON keeps Codex's 0-based index).
    const turn = h.turn.index === null ? "before any turn" : `turn ${h.turn.index + 1}${h.turn.id === null ? "" : ` (${h.turn.id})`}`
    const title = h.threadTitle === "" ? "" : `  ${Terminal.field(h.threadTitle.replace(/\s+/g, " ").slice(0, 50))}`
    return `${Terminal.field(h.threadId)}${title}\n  ${Terminal.field(`${turn}, ${h.kind}, line ${h.line}: ${h.snippet.replace(/\s+/g, " ")}`)}\n  resume: ${Terminal.field(ResumeHint.line(h.threadId, h.cwd))}`
  })
  const shown = total > hits.length ? `${hits.length} of ${total} matches (--limit N shows more)` : `${hits.length} match${hits.length === 1 ? "" : "es"}`
  return `${lines.join("\n")}\n\n${shown}\n`
}

/** The command's standard output for `hits` of `total`. */
export const render = (hits: ReadonlyArray<ThreadSearch.Hit>, total: number, json: boolean): string => {
  if (!json) return human(hits, total)
  // `parts` is for the web app's highlighting; the contract's hit has the bracketed snippet only.
  const data = hits.map(({ parts: _parts, ...h }) => ({ ...h, resumeCommand: ResumeHint.line(h.threadId, h.cwd) }))
  return `${JSON.stringify({ data, total })}\n`
}

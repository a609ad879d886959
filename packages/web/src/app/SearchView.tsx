/**
 * Full-text search over the index: each hit with its thread, the turn it is in, and the matched
 * words marked (the snippet arrives as runs of text, so nothing of it is ever parsed as HTML).
 * A hit links to its turn in the thread view.
 */
import { useEffect, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as Format from "./Format.js"
import * as Route from "./Route.js"

const Snippet = ({ parts }: { parts: ReadonlyArray<Api.SnippetPart> }) => (
  <p class="snippet">{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text))}</p>
)

export const SearchView = ({ q }: { q: string }) => {
  const [answer, setAnswer] = useState<Api.SearchAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setAnswer(null)
    setError(null)
    if (q.trim() === "") return
    const abort = new AbortController()
    Fetch.json<Api.SearchAnswer>("/api/search", { q, limit: 100 }, abort.signal).then(setAnswer, (e: unknown) => {
      if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e))
    })
    return () => abort.abort()
  }, [q])
  return (
    <section class="view search">
      <h1>Search</h1>
      {q.trim() === "" ? <p class="empty">Type in the search box (press /).</p> : null}
      {error === null ? null : <p class="error">Error: {error}</p>}
      {answer === null ? null : (
        <p class="count">
          {answer.total === 0 ? "No match" : `${answer.hits.length} of ${answer.total} matches`} for “{q}”
        </p>
      )}
      <ul class="list hits">
        {(answer?.hits ?? []).map((h) => (
          <li class="hit nav-item" key={`${h.threadId}:${h.line}:${h.kind}`}>
            <a class="title" href={Route.href.thread(h.threadId, h.turn)}>
              {h.threadTitle || h.threadId}
              {h.turn === null ? null : <span class="turn"> · turn {h.turn}</span>}
            </a>
            <div class="meta">
              <span class="badge">{h.kind}</span>
              {h.machine === undefined ? null : (
                <span class="badge machine" title="machine">
                  {h.machine}
                </span>
              )}
              <span title={h.cwd}>{Format.folder(h.cwd)}</span>
              <span>line {h.line}</span>
            </div>
            <Snippet parts={h.snippet} />
          </li>
        ))}
      </ul>
    </section>
  )
}

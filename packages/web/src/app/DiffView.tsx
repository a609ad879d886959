/**
 * Two threads side by side, turn against turn (a fork against its parent by default): turns both
 * share, turns that differ, and turns only one has, aligned on what the user asked and what the
 * agent answered. The text is shown as text.
 */
import { useEffect, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as Route from "./Route.js"

const KIND: Record<Api.DiffKind, string> = { same: "same", changed: "differs", onlyA: "only in A", onlyB: "only in B" }

const Side = ({ s, id }: { s: Api.DiffSide | null; id: string }) =>
  s === null ? (
    <div class="side none" />
  ) : (
    <div class="side">
      <a href={Route.href.thread(id, s.n)}>
        Turn {s.n}: {s.title}
      </a>
      <span class="badge">{s.status}</span>
      <pre class="text">{s.text}</pre>
    </div>
  )

const Head = ({ label, f }: { label: string; f: Api.ThreadFacts }) => (
  <div class="side head">
    <span class="badge">{label}</span> <a href={Route.href.thread(f.id)}>{f.title}</a>
    <div class="meta">
      {f.id} · {f.turns} turns
    </div>
  </div>
)

const Row = ({ r, diff }: { r: Api.DiffRow; diff: Api.DiffAnswer }) => (
  <div class={`row ${r.kind} nav-item`}>
    <span class="kind">{KIND[r.kind]}</span>
    <Side s={r.a} id={diff.a.id} />
    <Side s={r.b} id={diff.b.id} />
  </div>
)

/** Consecutive rows of the same kind, so a long shared history folds into one line. */
const runs = (rows: ReadonlyArray<Api.DiffRow>): Array<Array<Api.DiffRow>> => {
  const out: Array<Array<Api.DiffRow>> = []
  for (const r of rows) {
    const last = out[out.length - 1]
    if (last !== undefined && last[0]?.kind === r.kind) last.push(r)
    else out.push([r])
  }
  return out
}

export const DiffView = ({ a, b }: { a: string; b: string | null }) => {
  const [diff, setDiff] = useState<Api.DiffAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [other, setOther] = useState(b ?? "")
  useEffect(() => {
    setDiff(null)
    setError(null)
    Fetch.json<Api.DiffAnswer>("/api/diff", { a, b }).then(setDiff, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }, [a, b])
  return (
    <section class="view diff">
      <h1>Diff</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          if (Route.isId(other.trim())) Route.go(Route.href.diff(a, other.trim()))
        }}
      >
        <label>
          <span>Compare with thread</span>
          <input name="other" value={other} placeholder="thread id" onInput={(e) => setOther((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Compare</button>
      </form>
      {error === null ? null : <p class="error">Error: {error}</p>}
      {diff === null ? (
        error === null ? (
          <p class="more">Loading…</p>
        ) : null
      ) : (
        <>
          <p class="count">
            {diff.common} turn{diff.common === 1 ? "" : "s"} in common from the start; {diff.rows.filter((r) => r.kind !== "same").length} differ.
          </p>
          <div class="diff-grid">
            <div class="row">
              <Head label="A" f={diff.a} />
              <Head label="B" f={diff.b} />
            </div>
            {runs(diff.rows).map((run) =>
              run.length > 2 && run[0]?.kind === "same" ? (
                <details class="same-run" key={`run-${run[0].a?.n}`}>
                  <summary class="nav-item">
                    Turns {run[0].a?.n}–{run[run.length - 1]?.a?.n} of A are the same as {run[0].b?.n}–{run[run.length - 1]?.b?.n} of B
                  </summary>
                  {run.map((r) => (
                    <Row key={`${r.a?.n}-${r.b?.n}`} r={r} diff={diff} />
                  ))}
                </details>
              ) : (
                run.map((r) => <Row key={`${r.kind}-${r.a?.n}-${r.b?.n}`} r={r} diff={diff} />)
              )
            )}
          </div>
        </>
      )}
    </section>
  )
}

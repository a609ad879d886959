/**
 * A replay against its recording: the server re-executes the session (`rollout replay --verify`'s
 * machinery) and this view says whether the re-executed lines are the recorded ones, or shows the
 * first line where they differ: both lines, the members that differ, and a link to the replay
 * just before it. Re-executing takes a few seconds; the view says so while it waits.
 */
import { useEffect, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as Route from "./Route.js"

const Line = ({ label, text }: { label: string; text: string | null }) => (
  <div class="side">
    <span class="badge">{label}</span>
    {text === null ? <p class="empty">(no line: this side ended before)</p> : <pre class="text">{text}</pre>}
  </div>
)

const Difference = ({ id, d }: { id: string; d: NonNullable<Api.VerifyAnswer["difference"]> }) => (
  <>
    <p class="verdict different">
      The re-executed session differs from the recording at line <b>{d.line}</b>.{" "}
      <a href={Route.href.replay(id, Math.max(0, d.line - 1))}>Replay up to the line before</a>
    </p>
    <div class="diff-grid">
      <div class="row changed">
        <Line label="recorded" text={d.expected} />
        <Line label="re-executed" text={d.actual} />
      </div>
    </div>
    {d.fields.length === 0 || d.expected === null || d.actual === null ? null : (
      <table class="fields">
        <thead>
          <tr>
            <th>member</th>
            <th>recorded</th>
            <th>re-executed</th>
          </tr>
        </thead>
        <tbody>
          {d.fields.map((f) => (
            <tr key={f.path}>
              <td>
                <code>{f.path}</code>
              </td>
              <td>{f.expected === null ? <i>absent</i> : <code>{f.expected}</code>}</td>
              <td>{f.actual === null ? <i>absent</i> : <code>{f.actual}</code>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </>
)

export const VerifyView = ({ id }: { id: string }) => {
  const [answer, setAnswer] = useState<Api.VerifyAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setAnswer(null)
    setError(null)
    Fetch.json<Api.VerifyAnswer>(`/api/threads/${id}/verify`).then(setAnswer, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
  }, [id])
  return (
    <section class="view verify">
      <h1>
        Replay against its recording
        {answer === null ? null : (
          <>
            : <a href={Route.href.thread(id)}>{answer.thread.title}</a>
          </>
        )}
      </h1>
      {error === null ? null : <p class="error">Error: {error}</p>}
      {answer === null && error === null ? <p class="more">Re-executing the session against its recorded model output…</p> : null}
      {answer === null ? null : (
        <>
          {answer.resumedAt === null ? null : (
            <p class="count">Another writer started this thread; the session that resumed it after line {answer.resumedAt} was re-executed.</p>
          )}
          {answer.verdict === "identical" ? (
            <p class="verdict identical">Identical: the re-executed session wrote every line of the recording, and no more.</p>
          ) : answer.verdict === "unavailable" ? (
            <p class="verdict unavailable">{answer.message}</p>
          ) : answer.difference === null ? null : (
            <Difference id={id} d={answer.difference} />
          )}
          <nav class="actions">
            <a href={Route.href.replay(id)}>Step through the recording</a>
          </nav>
        </>
      )}
    </section>
  )
}

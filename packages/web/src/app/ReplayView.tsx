/**
 * Replay: a slider over the rollout's lines and the thread as it stood after the chosen line, the
 * same timeline as `rollout replay --step` (the server keeps the session's snapshots, so any line
 * is a short fold away). Keys: ← → a line, Shift+← → (or p / n) a turn, Home / End.
 */
import { useEffect, useRef, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as Route from "./Route.js"
import { Turn } from "./Turn.js"

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")

const turnStep = (f: Api.ReplayFrame, line: number, forward: boolean): number => {
  if (forward) return f.turnLines.find((l) => l > line) ?? f.lastLine
  let target = 0
  for (const l of f.turnLines) if (l < line) target = l
  return target
}

/** Where a key moves the line, or null for a key replay does not use. */
const keyMove = (f: Api.ReplayFrame, e: KeyboardEvent): ((line: number) => number) | null => {
  if (e.key === "ArrowRight") return e.shiftKey ? (l) => turnStep(f, l, true) : (l) => l + 1
  if (e.key === "ArrowLeft") return e.shiftKey ? (l) => turnStep(f, l, false) : (l) => l - 1
  if (e.key === "n") return (l) => turnStep(f, l, true)
  if (e.key === "p") return (l) => turnStep(f, l, false)
  if (e.key === "Home") return () => 0
  if (e.key === "End") return () => f.lastLine
  return null
}

export const ReplayView = ({ id, line }: { id: string; line: number | null }) => {
  const [frame, setFrame] = useState<Api.ReplayFrame | null>(null)
  const [wanted, setWanted] = useState<number | null>(line)
  const [error, setError] = useState<string | null>(null)
  const latest = useRef<AbortController | null>(null)

  useEffect(() => {
    latest.current?.abort()
    const abort = new AbortController()
    latest.current = abort
    Fetch.json<Api.ReplayFrame>(`/api/threads/${id}/replay`, { line: wanted }, abort.signal).then(
      (f) => {
        if (abort.signal.aborted) return
        setFrame(f)
        setError(null)
        Route.replace(Route.href.replay(id, f.line))
        // The newest state is at the bottom, as the terminal frame shows it; the controls stay on top.
        requestAnimationFrame(() => scrollTo(0, document.documentElement.scrollHeight))
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e))
      }
    )
  }, [id, wanted])

  // One listener for the view's life; it reads the latest frame and moves from the latest wanted
  // line, so keys pressed faster than frames arrive all count.
  const shown = useRef<Api.ReplayFrame | null>(null)
  shown.current = frame
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const f = shown.current
      if (f === null || e.ctrlKey || e.metaKey || e.altKey) return
      const range = (e.target as HTMLInputElement | null)?.type === "range"
      if (typing(e.target) && !range) return
      // The focused slider moves itself a line per arrow.
      if ((e.key === "ArrowRight" || e.key === "ArrowLeft") && range && !e.shiftKey) return
      const move = keyMove(f, e)
      if (move === null) return
      e.preventDefault()
      setWanted((w) => Math.max(0, Math.min(f.lastLine, move(w ?? f.line))))
    }
    document.addEventListener("keydown", onKey)
    return () => document.removeEventListener("keydown", onKey)
  }, [])

  if (frame === null) return <section class="view replay">{error === null ? <p class="more">Loading…</p> : <p class="error">Error: {error}</p>}</section>
  return (
    <section class="view replay">
      <h1>
        Replay: <a href={Route.href.thread(id)}>{frame.title}</a>
      </h1>
      <header class="facts-head controls">
        <p class="position">
          line <b>{frame.line}</b> of {frame.lastLine} · step {frame.position}/{frame.steps} · turn {frame.turn} of {frame.turnCount}
        </p>
        <input
          type="range"
          class="slider"
          aria-label="Line"
          min={0}
          max={frame.lastLine}
          value={wanted ?? frame.line}
          onInput={(e) => setWanted(Number((e.target as HTMLInputElement).value))}
        />
        <p class="keys">← → line · Shift+← → or p / n turn · Home / End</p>
        <div class="current">
          <span class="badge">{frame.label}</span>
          <pre class="raw">{frame.raw}</pre>
        </div>
      </header>
      {error === null ? null : <p class="error">Error: {error}</p>}
      <main class="turns">
        {frame.turns.length === 0 ? <p class="empty">No turn yet at this line.</p> : null}
        {(frame.turns[0]?.n ?? 1) > 1 ? <p class="empty">Turns 1–{(frame.turns[0]?.n ?? 1) - 1} are above this point; the newest are shown.</p> : null}
        {frame.turns.map((t) => (
          <Turn key={t.n} t={t} href={Route.href.thread(id, t.n)} />
        ))}
      </main>
    </section>
  )
}

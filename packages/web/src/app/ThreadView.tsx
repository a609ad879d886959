/**
 * One thread: its facts, then its turns as the human transcript draws them (commands and output,
 * diffs, reasoning, tools, sub-agents, errors, tokens and cost per turn), fetched a page at a time
 * as they scroll into view, so a thread of hundreds of megabytes opens with its first turns. A
 * link to a turn (a search hit) starts the page there. A growing thread gains its new turns live.
 */
import { useEffect, useRef, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as Format from "./Format.js"
import * as Live from "./Live.js"
import * as Route from "./Route.js"
import { Turn } from "./Turn.js"

const PAGE = 20
const INDEXING_POLL_MS = 1500

const percent = (i: Api.Indexing) => `${Math.floor((100 * i.read) / Math.max(1, i.size))}%`

const Facts = ({ f, indexing }: { f: Api.ThreadFacts; indexing: Api.Indexing | null }) => (
  <header class="facts-head">
    <h1>{f.title}</h1>
    <dl class="facts">
      <dt>Thread</dt>
      <dd>{f.id}</dd>
      <dt>Created</dt>
      <dd>{Format.time(f.createdAt)}</dd>
      <dt>Folder</dt>
      <dd>{f.cwd}</dd>
      {f.model === null ? null : [<dt key="m">Model</dt>, <dd key="mv">{f.model}</dd>]}
      {f.machine === undefined ? null : [<dt key="h">Machine</dt>, <dd key="hv">{f.machine}</dd>]}
      <dt>Turns</dt>
      <dd>{indexing === null ? f.turns : <span class="indexing">{`${f.turns}+ · indexing ${percent(indexing)}`}</span>}</dd>
      <dt>Tokens</dt>
      <dd>
        {Format.count(f.tokens)} · {Format.usd(f.costUSD)}
      </dd>
    </dl>
    <nav class="actions">
      <a href={Route.href.replay(f.id)}>Replay</a>
      <a href={Route.href.verify(f.id)}>Replay against recording</a>
      {f.forkedFromId === null ? null : <a href={Route.href.diff(f.id, f.forkedFromId)}>Diff with parent</a>}
    </nav>
  </header>
)

export const ThreadView = ({ id, turn }: { id: string; turn: number | null }) => {
  const [facts, setFacts] = useState<Api.ThreadFacts | null>(null)
  const [turns, setTurns] = useState<ReadonlyArray<Api.TurnEntry>>([])
  const [first, setFirst] = useState(0)
  const [state, setState] = useState<"loading" | "idle" | "done" | string>("loading")
  const end = useRef<HTMLDivElement>(null)
  const scrolled = useRef<number | null>(null)

  const fetchPage = (from: number, limit = PAGE) => Fetch.json<Api.TurnsPage>(`/api/threads/${id}/turns`, { from, limit })
  const [indexing, setIndexing] = useState<Api.Indexing | null>(null)
  const settle = (f: Api.ThreadFacts, last: number, ix?: Api.Indexing) => {
    setFacts(f)
    setIndexing(ix ?? null)
    // While the thread is first indexed its count is only what was seen so far: more may follow.
    setState(ix === undefined && last >= f.turns ? "done" : "idle")
  }

  // While the index is built, the turns shown are asked for again now and then: the answer once it
  // is built is exact (a late line may have changed an early turn) and has the final count.
  useEffect(() => {
    if (indexing === null) return
    const timer = setTimeout(() => {
      fetchPage(first, Math.min(100, Math.max(1, turns.length))).then(
        (p) => {
          setTurns(p.turns)
          settle(p.thread, first + p.turns.length, p.indexing)
        },
        () => setIndexing(null)
      )
    }, INDEXING_POLL_MS)
    return () => clearTimeout(timer)
  }, [indexing])

  useEffect(() => {
    const start = turn === null ? 0 : Math.max(0, turn - 1)
    setTurns([])
    setFirst(start)
    setState("loading")
    scrolled.current = null
    fetchPage(start).then(
      (p) => {
        setTurns(p.turns)
        settle(p.thread, start + p.turns.length, p.indexing)
      },
      (e: unknown) => setState(e instanceof Error ? e.message : String(e))
    )
  }, [id, turn])

  useEffect(() => {
    if (turn === null || scrolled.current === turn || turns.length === 0) return
    scrolled.current = turn
    document.getElementById(`turn-${turn}`)?.scrollIntoView({ block: "start" })
  }, [turns, turn])

  const more = async () => {
    setState("loading")
    const from = first + turns.length
    const p = await fetchPage(from)
    setTurns((old) => [...old, ...p.turns])
    settle(p.thread, from + p.turns.length, p.indexing)
  }
  const earlier = async () => {
    const from = Math.max(0, first - PAGE)
    const p = await fetchPage(from, first - from)
    setTurns((old) => [...p.turns, ...old])
    setFirst(from)
  }

  useEffect(() => {
    const el = end.current
    if (el === null || state !== "idle") return
    const seen = new IntersectionObserver((es) => {
      if (es.some((e) => e.isIntersecting)) void more()
    })
    seen.observe(el)
    return () => seen.disconnect()
  }, [state, turns])

  Live.useLive(async (change) => {
    if (!change.threads.includes(id) || facts === null) return
    const loadedEnd = first + turns.length
    if (loadedEnd < facts.turns) {
      // Not scrolled to the end: only the facts (more turns to scroll to) change.
      const p = await fetchPage(loadedEnd, 1)
      return settle(p.thread, loadedEnd)
    }
    // The last turn may have grown and new ones may follow it: fetch from it on.
    const from = Math.max(first, loadedEnd - 1)
    const p = await fetchPage(from, 100)
    setTurns((old) => [...old.slice(0, from - first), ...p.turns])
    settle(p.thread, from + p.turns.length)
  })

  if (facts === null) return <section class="view thread">{state === "loading" ? <p class="more">Loading…</p> : <p class="error">Error: {state}</p>}</section>
  return (
    <section class="view thread">
      <Facts f={facts} indexing={indexing} />
      {first > 0 ? (
        <button type="button" class="earlier" onClick={() => void earlier()}>
          Show turns {Math.max(1, first - PAGE + 1)}–{first}
        </button>
      ) : null}
      <main class="turns">
        {turns.map((t) => (
          <Turn key={t.n} t={t} href={Route.href.thread(id, t.n)} />
        ))}
      </main>
      <div ref={end} class="more">
        {state === "loading" ? "Loading…" : state === "done" ? (turns.length === 0 ? "No turns yet." : "") : state === "idle" ? "" : `Error: ${state}`}
      </div>
    </section>
  )
}

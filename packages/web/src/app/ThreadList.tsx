/**
 * The thread list: newest first, more rows fetched as the end scrolls into view (the index's
 * cursors), filters by folder, model, source, date range and archived kept in the address so a
 * filtered list has a link. New and grown threads show up through the live feed.
 */
import { useEffect, useRef, useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as Format from "./Format.js"
import * as Live from "./Live.js"
import * as Route from "./Route.js"

const FILTERS = ["cwd", "model", "source", "since", "until", "archived", "machine"] as const

const Row = ({ t }: { t: Api.ThreadRow }) => (
  <li class="thread nav-item" data-id={t.id}>
    <a class="title" href={Route.href.thread(t.id)}>
      {t.title || "(no message)"}
    </a>
    <div class="meta">
      <time>{Format.time(t.createdAt)}</time>
      {t.machine === undefined ? null : (
        <span class="badge machine" title="machine">
          {t.machine}
        </span>
      )}
      <span title={t.cwd}>{Format.folder(t.cwd)}</span>
      {t.model === null ? null : <span>{t.model}</span>}
      <span class="badge">{t.source}</span>
      {t.agentNickname === null ? null : <span class="badge">{t.agentNickname}</span>}
      {t.archived ? <span class="badge">archived</span> : null}
      {t.forkedFromId === null ? null : (
        <a class="badge fork" href={Route.href.diff(t.id, t.forkedFromId)}>
          fork · diff
        </a>
      )}
    </div>
  </li>
)

const Select = (props: { name: string; label: string; values: ReadonlyArray<string>; value: string; set: (v: string) => void }) => (
  <label>
    <span>{props.label}</span>
    <select name={props.name} value={props.value} onChange={(e) => props.set((e.target as HTMLSelectElement).value)}>
      <option value="">all</option>
      {props.values.map((v) => (
        <option key={v} value={v}>
          {props.name === "cwd" ? `${Format.folder(v)} — ${v}` : v}
        </option>
      ))}
    </select>
  </label>
)

const Filters = ({ query, facets }: { query: URLSearchParams; facets: Api.Facets | null }) => {
  const set = (name: string, value: string) => {
    const q = new URLSearchParams(query)
    if (value === "") q.delete(name)
    else q.set(name, value)
    Route.go(Route.href.threads(q))
  }
  const get = (name: string) => query.get(name) ?? ""
  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()}>
      <Select name="cwd" label="Folder" values={facets?.cwds ?? []} value={get("cwd")} set={(v) => set("cwd", v)} />
      <Select name="model" label="Model" values={facets?.models ?? []} value={get("model")} set={(v) => set("model", v)} />
      <Select name="source" label="Source" values={facets?.sources ?? []} value={get("source")} set={(v) => set("source", v)} />
      {facets?.machines === undefined ? null : (
        <Select name="machine" label="Machine" values={facets.machines} value={get("machine")} set={(v) => set("machine", v)} />
      )}
      <label>
        <span>From</span>
        <input type="date" name="since" value={get("since")} onChange={(e) => set("since", (e.target as HTMLInputElement).value)} />
      </label>
      <label>
        <span>To</span>
        <input type="date" name="until" value={get("until")} onChange={(e) => set("until", (e.target as HTMLInputElement).value)} />
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="archived"
          checked={get("archived") === "1"}
          onChange={(e) => set("archived", (e.target as HTMLInputElement).checked ? "1" : "")}
        />
        <span>Archived</span>
      </label>
    </form>
  )
}

const PAGE = 50

/**
 * The first page of the unfiltered list, asked for as the script starts (before the first render
 * and its effects), since it is what most visits show first.
 */
let early: Promise<Api.ThreadsPage> | undefined = Route.parse(location.hash)._tag === "Threads" && location.hash.length <= 2 ? firstPage() : undefined

/** The first page asked for as the script started, if it was (the app's first render may wait for it). */
export const asked = (): Promise<unknown> | undefined => early

/** That page once answered, until the list takes it for its first render. */
let answered: Api.ThreadsPage | undefined

/** The first page, with marks in the page's performance timeline (bench/web.mjs reads them). */
function firstPage(): Promise<Api.ThreadsPage> {
  performance.mark("list:asked")
  return Fetch.json<Api.ThreadsPage>("/api/threads", { limit: PAGE }).then((page) => {
    performance.mark("list:answered")
    answered = page
    return page
  })
}

const UNFILTERED = JSON.stringify(Object.fromEntries(FILTERS.map((f) => [f, null])))

/** The early page if it has answered and this list is the unfiltered one: drawn in the first render. */
const takeAnswered = (key: string): Api.ThreadsPage | undefined => {
  const page = key === UNFILTERED ? answered : undefined
  if (page !== undefined) early = undefined
  answered = undefined
  return page
}

export const ThreadList = ({ query }: { query: URLSearchParams }) => {
  const params = Object.fromEntries(FILTERS.map((f) => [f, query.get(f)]))
  const key = JSON.stringify(params)
  const [initial] = useState(() => takeAnswered(key))
  const [rows, setRows] = useState<ReadonlyArray<Api.ThreadRow>>(initial?.data ?? [])
  const [cursor, setCursor] = useState<string | null>(initial?.nextCursor ?? null)
  const [state, setState] = useState<"loading" | "idle" | "done" | string>(initial === undefined ? "loading" : initial.nextCursor === null ? "done" : "idle")
  const [facets, setFacets] = useState<Api.Facets | null>(null)
  const end = useRef<HTMLDivElement>(null)
  // Each request for the list takes a number; an answer is drawn only if no later request was
  // made since, so an answer to an earlier filter that arrives late cannot overwrite the latest.
  const latest = useRef(0)
  // The first render drew the early page already: the first load for this filter is done.
  const drawn = useRef(initial !== undefined)

  const load = async (after: string | null, replace: boolean) => {
    const ticket = ++latest.current
    setState("loading")
    try {
      const first = after === null && key === UNFILTERED ? early : undefined
      early = undefined
      const page = await (first ?? Fetch.json<Api.ThreadsPage>("/api/threads", { ...params, cursor: after, limit: PAGE }))
      if (ticket !== latest.current) return
      setRows((old) => (replace ? page.data : [...old, ...page.data]))
      setCursor(page.nextCursor)
      setState(page.nextCursor === null ? "done" : "idle")
    } catch (e) {
      if (ticket === latest.current) setState(e instanceof Error ? e.message : String(e))
    }
  }

  useEffect(() => {
    if (drawn.current) {
      drawn.current = false
      return
    }
    void load(null, true)
  }, [key])
  useEffect(() => {
    Fetch.json<Api.Facets>("/api/facets").then(setFacets, () => {})
  }, [])
  useEffect(() => {
    const el = end.current
    if (el === null || state !== "idle") return
    const seen = new IntersectionObserver((es) => {
      if (es.some((e) => e.isIntersecting)) void load(cursor, false)
    })
    seen.observe(el)
    return () => seen.disconnect()
  }, [state, cursor])

  Live.useLive(async () => {
    const ticket = latest.current
    const page = await Fetch.json<Api.ThreadsPage>("/api/threads", { ...params, limit: PAGE })
    // A filter changed while this was asked for: its rows are for the old filter.
    if (ticket !== latest.current) return
    setRows((old) => {
      const fresh = new Set(page.data.map((t) => t.id))
      return [...page.data, ...old.filter((t) => !fresh.has(t.id))]
    })
  })

  return (
    <section class="view threads">
      <h1>Threads</h1>
      <Filters query={query} facets={facets} />
      {rows.length === 0 && state === "done" ? (
        // With no filter set, "no match" would send the user looking for a filter that is not there.
        <p class="empty">{key === UNFILTERED ? "No threads yet: this Codex home holds no rollouts under sessions/." : "No thread matches."}</p>
      ) : null}
      <ul class="list">
        {rows.map((t) => (
          <Row key={t.id} t={t} />
        ))}
      </ul>
      <div ref={end} class="more">
        {state === "loading" ? "Loading…" : state === "idle" || state === "done" ? "" : `Error: ${state}`}
      </div>
    </section>
  )
}

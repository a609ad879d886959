/**
 * The live feed: one `EventSource` on `/api/events` for the whole page, and a hook through which a
 * view hears which threads appeared or grew, so it can fetch again without a reload.
 */
import { useEffect, useRef } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"

type Listener = (change: Api.LiveChange) => void

const listeners = new Set<Listener>()
let source: EventSource | undefined

const connect = (): void => {
  if (source !== undefined) return
  source = new EventSource(Fetch.url("/api/events"))
  source.addEventListener("change", (e) => {
    const change = JSON.parse((e as MessageEvent<string>).data) as Api.LiveChange
    for (const l of listeners) l(change)
  })
}

/** Calls `on` (the latest one given) whenever the home changes while the view is shown. */
export const useLive = (on: Listener): void => {
  const latest = useRef(on)
  latest.current = on
  useEffect(() => {
    connect()
    const l: Listener = (c) => latest.current(c)
    listeners.add(l)
    return () => void listeners.delete(l)
  }, [])
}

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

/**
 * Opens the feed a moment after the page has loaded: the server then starts following the home
 * (a first look at every thread), which need not compete with the page's first answers.
 */
const connect = (): void => {
  if (source !== undefined || waiting) return
  waiting = true
  const open = () => setTimeout(openNow, AFTER_LOAD_MS)
  if (document.readyState === "complete") open()
  else addEventListener("load", open, { once: true })
}

const AFTER_LOAD_MS = 100
let waiting = false

const openNow = (): void => {
  source = new EventSource(Fetch.url("/api/events"))
  // Tests wait for this before they change the home.
  source.addEventListener("ready", () => void (document.documentElement.dataset["live"] = "ready"))
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

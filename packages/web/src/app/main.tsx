/**
 * The web app of `rollout serve`: a header (views, search box, theme toggle) over the view the
 * address names. Everything it shows comes from `/api/...` as data and is rendered as text; the
 * only HTML it inserts is a turn's body, which the server renders with the export's sanitising
 * renderer. It is served under a CSP that allows this script and stylesheet and nothing inline.
 */
import { render } from "preact"
import { useEffect, useState } from "preact/hooks"
import { DiffView } from "./DiffView.js"
import * as Keys from "./Keys.js"
import { ReplayView } from "./ReplayView.js"
import * as Route from "./Route.js"
import { SearchView } from "./SearchView.js"
import * as ThreadList from "./ThreadList.js"
import { ThreadView } from "./ThreadView.js"
import { VerifyView } from "./VerifyView.js"

type Theme = "auto" | "light" | "dark"
const THEMES: ReadonlyArray<Theme> = ["auto", "light", "dark"]

const storedTheme = (): Theme => {
  const t = localStorage.getItem("rollout-theme")
  return t === "light" || t === "dark" ? t : "auto"
}

const applyTheme = (t: Theme): void => {
  if (t === "auto") delete document.documentElement.dataset["theme"]
  else document.documentElement.dataset["theme"] = t
}

type StatsModule = typeof import("./StatsView.js")

/** The dashboard and its chart library load only when it is opened: the first page stays small. */
const LazyStats = ({ theme }: { theme: Theme }) => {
  const [loaded, setLoaded] = useState<StatsModule | null>(null)
  useEffect(() => {
    import("./StatsView.js").then(setLoaded, () => {})
  }, [])
  return loaded === null ? <p class="more view">Loading…</p> : <loaded.StatsView theme={theme} />
}

const View = ({ route, theme }: { route: Route.Route; theme: Theme }) => {
  switch (route._tag) {
    case "Threads":
      return <ThreadList.ThreadList query={route.query} />
    case "Search":
      return <SearchView q={route.q} />
    case "Thread":
      return <ThreadView key={route.id} id={route.id} turn={route.turn} />
    case "Replay":
      return <ReplayView key={route.id} id={route.id} line={route.line} />
    case "Verify":
      return <VerifyView key={route.id} id={route.id} />
    case "Stats":
      return <LazyStats theme={theme} />
    case "Diff":
      return <DiffView a={route.a} b={route.b} />
    case "NotFound":
      return (
        <section class="view">
          <p class="error">
            No such page or thread: <code>#/{route.path}</code>. <a href={Route.href.threads()}>Back to the threads</a>
          </p>
        </section>
      )
    default: {
      const unreachable: never = route
      return unreachable
    }
  }
}

const App = () => {
  const [route, setRoute] = useState(() => Route.parse(location.hash))
  const [theme, setTheme] = useState<Theme>(storedTheme)
  const [q, setQ] = useState(route._tag === "Search" ? route.q : "")
  useEffect(() => {
    const on = () => setRoute(Route.parse(location.hash))
    addEventListener("hashchange", on)
    return () => removeEventListener("hashchange", on)
  }, [])
  // The search box shows the search on screen, however it was reached (a link, Back, the address).
  useEffect(() => {
    if (route._tag === "Search") setQ(route.q)
  }, [route._tag === "Search" ? route.q : null])
  useEffect(() => {
    applyTheme(theme)
    localStorage.setItem("rollout-theme", theme)
  }, [theme])
  useEffect(() => {
    if (route._tag !== "Replay") scrollTo(0, 0)
  }, [route._tag, route._tag === "Thread" ? route.id : ""])
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length] as Theme
  return (
    <>
      <header class="bar">
        <a class="brand" href={Route.href.threads()}>
          rollout
        </a>
        <nav>
          <a href={Route.href.threads()} class={route._tag === "Threads" ? "on" : ""}>
            Threads
          </a>
          <a href={Route.href.stats()} class={route._tag === "Stats" ? "on" : ""}>
            Stats
          </a>
        </nav>
        <form
          class="search-form"
          onSubmit={(e) => {
            e.preventDefault()
            Route.go(Route.href.search(q))
            ;(document.activeElement as HTMLElement | null)?.blur()
          }}
        >
          <input
            id="search-box"
            type="search"
            placeholder="Search  /"
            aria-label="Search"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
        </form>
        <button type="button" class="theme" title={`Theme: ${theme} (switch to ${next})`} onClick={() => setTheme(next)}>
          {theme === "auto" ? "◐" : theme === "light" ? "☀" : "☾"}
        </button>
      </header>
      <View route={route} theme={theme} />
    </>
  )
}

applyTheme(storedTheme())
// Installed before the first render, so a key pressed as the page opens is not lost.
Keys.install()

/**
 * The list's first page, asked for as the script started, usually answers within moments: the first
 * render waits for it (a little while at most), so the page is laid out and painted once, with its
 * rows, instead of empty first and again when they come.
 */
const FIRST_WAIT_MS = 250
const start = () => {
  performance.mark("app:render")
  render(<App />, document.getElementById("app") as HTMLElement)
}
const asked = ThreadList.asked()
if (asked === undefined) start()
else void Promise.race([asked.catch(() => {}), new Promise((r) => setTimeout(r, FIRST_WAIT_MS))]).then(start)

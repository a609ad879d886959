/**
 * Keyboard navigation shared by every view: `/` focuses the search box, `j`/`k` move the selection
 * over the view's `.nav-item` elements (threads, hits, turns), Enter opens the selected one, Esc
 * leaves a text box or goes back to the thread list. Views with keys of their own (the replay
 * slider's arrows) handle them before this does.
 */
import * as Route from "./Route.js"

const typing = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable)

const items = (): Array<HTMLElement> => [...document.querySelectorAll<HTMLElement>(".nav-item")]

const move = (by: number): void => {
  const all = items()
  if (all.length === 0) return
  const at = all.findIndex((e) => e.classList.contains("selected"))
  const next = all[Math.min(all.length - 1, Math.max(0, at < 0 ? 0 : at + by))] as HTMLElement
  for (const e of all) e.classList.remove("selected")
  next.classList.add("selected")
  next.scrollIntoView({ block: "nearest" })
}

const open = (): void => {
  const selected = document.querySelector<HTMLElement>(".nav-item.selected")
  const link = selected?.matches("a") ? selected : selected?.querySelector<HTMLElement>("a")
  link?.click()
}

export const install = (): (() => void) => {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return
    if (e.key === "Escape") {
      if (typing(e.target)) (e.target as HTMLElement).blur()
      else Route.go(Route.href.threads())
      return
    }
    if (typing(e.target)) return
    if (e.key === "/") {
      e.preventDefault()
      document.querySelector<HTMLInputElement>("#search-box")?.focus()
    } else if (e.key === "j") move(1)
    else if (e.key === "k") move(-1)
    else if (e.key === "Enter") open()
  }
  document.addEventListener("keydown", onKey)
  return () => document.removeEventListener("keydown", onKey)
}

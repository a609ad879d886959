/**
 * A string of a turn the server sent cut (`Api.Cut`): a line saying how much of it is shown, and a
 * control that fetches it whole on demand. Up to `SHOW_AT_MOST` it is drawn in place as plain text
 * (hidden characters escaped, as everywhere); beyond, the whole is offered as a download first,
 * with drawing it still on offer, in pieces the browser lays out only once scrolled to.
 */
import * as ByteSize from "@rollout/view/ByteSize"
import { useState } from "preact/hooks"
import type * as Api from "../Api.js"
import * as Fetch from "./Fetch.js"
import * as TextPieces from "./TextPieces.js"
import * as Visible from "./Visible.js"

export const SHOW_AT_MOST = 8 << 20

const size = ByteSize.text

const where = (c: Api.Cut): string => c.path.split("/").map(decodeURIComponent).join(".")

export const CutText = ({ c }: { c: Api.Cut }) => {
  // The whole text in the pieces it is drawn in, cut once when fetched (not at every render).
  const [whole, setWhole] = useState<ReadonlyArray<string> | null>(null)
  const [state, setState] = useState<"idle" | "loading" | string>("idle")
  const url = c.url === undefined ? undefined : Fetch.withToken(c.url)
  const show = async () => {
    if (url === undefined) return
    setState("loading")
    try {
      setWhole(TextPieces.split(Visible.text(await Fetch.text(url))))
      setState("idle")
    } catch (e) {
      setState(e instanceof Error ? e.message : String(e))
    }
  }
  const big = c.bytes > SHOW_AT_MOST
  return (
    <div class="cut">
      <span class="what">
        Part {c.part + 1} ({where(c)}) is {size(c.bytes)}: only its start is shown above.
      </span>
      {url === undefined ? null : whole !== null ? (
        <button type="button" onClick={() => setWhole(null)}>
          Hide the whole text
        </button>
      ) : (
        [
          big ? (
            <a key="d" class="download" href={`${url}&download=1`} download>
              Download ({size(c.bytes)})
            </a>
          ) : null,
          <button key="s" type="button" class="show-all" disabled={state === "loading"} onClick={() => void show()}>
            {state === "loading" ? "Loading…" : `Show all (${size(c.bytes)})`}
          </button>
        ]
      )}
      {state !== "idle" && state !== "loading" ? <span class="error">Error: {state}</span> : null}
      {whole === null ? null : (
        <pre class="whole">
          {whole.map((piece, i) => (
            // Off screen a piece is not laid out; until drawn it stands as tall as its lines.
            <div key={i} style={{ containIntrinsicBlockSize: `auto ${TextPieces.lines(piece) * 1.2}em` }}>
              {piece}
            </div>
          ))}
        </pre>
      )}
    </div>
  )
}

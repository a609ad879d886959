/**
 * Two threads turn against turn for the web app (a fork against its parent unless told which):
 * each turn is keyed by what the user asked and what the agent answered, the two lists aligned
 * on their longest common run of equal keys (so a fork's inherited turns line up with the parent's
 * and what follows shows as changed, or only in one), and adjacent one-sided turns are paired as
 * changed. Pure apart from reading the two transcripts.
 */
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import type * as WorkedTurns from "@rollout/view/WorkedTurns"
import type * as Api from "@rollout/web/Api"
import * as HtmlFragment from "@rollout/view/HtmlFragment"
import * as WebError from "./WebError.js"
import type * as WebTranscript from "./WebTranscript.js"

/** Beyond this many turns on each side the middle is compared position by position. */
const LCS_MAX = 2000

const text = (turn: ThreadItem.Turn): string =>
  turn.items
    .flatMap((i) => {
      switch (i.type) {
        case "userMessage":
          return [`> ${i.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join(" ")}`]
        case "agentMessage":
          return [i.text]
        default:
          return []
      }
    })
    .join("\n\n")

const side = (v: WorkedTurns.TurnView): Api.DiffSide => {
  const t = text(v.turn)
  return { n: v.n, title: HtmlFragment.title(v.turn), status: v.turn.status, text: t.length > 800 ? `${t.slice(0, 799)}…` : t }
}

type Op =
  | { readonly _tag: "same"; readonly i: number; readonly j: number }
  | { readonly _tag: "a"; readonly i: number }
  | { readonly _tag: "b"; readonly j: number }

/** The edit script of `a` into `b` over equal keys (longest common subsequence). */
export const align = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): Array<Op> => {
  const n = a.length
  const m = b.length
  if (n > LCS_MAX || m > LCS_MAX) {
    const ops: Array<Op> = []
    for (let k = 0; k < Math.max(n, m); k++) {
      if (k < n && k < m && a[k] === b[k]) ops.push({ _tag: "same", i: k, j: k })
      else {
        if (k < n) ops.push({ _tag: "a", i: k })
        if (k < m) ops.push({ _tag: "b", j: k })
      }
    }
    return ops
  }
  const len = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (len[i] as Uint32Array)[j] =
        a[i] === b[j]
          ? ((len[i + 1] as Uint32Array)[j + 1] as number) + 1
          : Math.max((len[i + 1] as Uint32Array)[j] as number, (len[i] as Uint32Array)[j + 1] as number)
  const ops: Array<Op> = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ _tag: "same", i: i++, j: j++ })
    else if (j >= m || (i < n && ((len[i + 1] as Uint32Array)[j] as number) >= ((len[i] as Uint32Array)[j + 1] as number))) ops.push({ _tag: "a", i: i++ })
    else ops.push({ _tag: "b", j: j++ })
  }
  return ops
}

/** Rows from the edit script: a run of A-only turns next to a run of B-only turns pairs up as changed. */
export const rows = (a: ReadonlyArray<WorkedTurns.TurnView>, b: ReadonlyArray<WorkedTurns.TurnView>, ops: ReadonlyArray<Op>): Array<Api.DiffRow> => {
  const out: Array<Api.DiffRow> = []
  let onlyA: Array<number> = []
  let onlyB: Array<number> = []
  const flush = () => {
    for (let k = 0; k < Math.max(onlyA.length, onlyB.length); k++) {
      const x = onlyA[k]
      const y = onlyB[k]
      const kind: Api.DiffKind = x !== undefined && y !== undefined ? "changed" : x !== undefined ? "onlyA" : "onlyB"
      out.push({ kind, a: x === undefined ? null : side(a[x] as WorkedTurns.TurnView), b: y === undefined ? null : side(b[y] as WorkedTurns.TurnView) })
    }
    onlyA = []
    onlyB = []
  }
  for (const op of ops) {
    if (op._tag === "a") onlyA.push(op.i)
    else if (op._tag === "b") onlyB.push(op.j)
    else {
      flush()
      out.push({ kind: "same", a: side(a[op.i] as WorkedTurns.TurnView), b: side(b[op.j] as WorkedTurns.TurnView) })
    }
  }
  flush()
  return out
}

export const diff = async (transcripts: WebTranscript.Transcripts, a: string, b: string | undefined): Promise<Api.DiffAnswer> => {
  const left = await transcripts.get(a)
  const other = b === undefined || b === "" ? left.facts.forkedFromId : b
  if (other === null) throw new WebError.BadRequest(`thread ${a} is not a fork: name a thread to compare it with`)
  const right = await transcripts.get(other)
  const keyOf = (v: WorkedTurns.TurnView) => text(v.turn)
  const ops = align(left.views.map(keyOf), right.views.map(keyOf))
  let common = 0
  while (common < ops.length && ops[common]?._tag === "same") common++
  return { a: left.facts, b: right.facts, rows: rows(left.views, right.views, ops), common }
}

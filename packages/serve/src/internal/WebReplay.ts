/**
 * Replay for the web app: the thread as it stood after any line of its rollout, on the same
 * timeline as `rollout replay --step` (`ReplaySession`: pages read on demand, with a snapshot every
 * few hundred lines, so a frame is a short fold away). A session is indexed and its timeline built
 * once per version of its files; each frame sends the newest turns (as the terminal frame shows the newest state),
 * drawn by the HTML export's renderer with the work log of the lines folded so far.
 */
import type * as ReplaySession from "@rollout/query/ReplaySession"
import * as Replay from "@rollout/query/ReplaySession"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import * as Timeline from "@rollout/reduce/Timeline"
import * as WorkLog from "@rollout/reduce/WorkLog"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import type * as Api from "@rollout/web/Api"
import { Effect } from "effect"
import type * as WebTranscript from "./WebTranscript.js"
import * as WebTranscriptRead from "./WebTranscript.js"
import * as WebTurn from "./WebTurn.js"

/** How many of the newest turns a frame carries. */
const SHOWN = 12

const label = (e: ReplaySession.Entry | undefined): string => {
  if (e === undefined) return "before the first line"
  const t = e.typed
  if (t === undefined) return `${String((e.log.value as { type?: unknown }).type ?? "?")} (not a known line type)`
  const inner = (t.payload as { type?: unknown } | null)?.type
  return typeof inner === "string" ? `${t.type}/${inner}` : t.type
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

type FrameAt = (line: number | null) => Promise<Api.ReplayFrame>

const framer = (recording: ReplaySession.Recording, id: string, title: string): FrameAt =>
  Replay.session(recording, title, (session) => {
    const t = session.timeline
    const turnLines = Array.from(session.markNumbers)
    return async (line) => {
      const n = Math.max(0, Math.min(recording.lastNumber, line ?? recording.lastNumber))
      const c = await Timeline.at(t, await Replay.positionOf(session, n))
      const folded = session.work(c.state)
      const views = WorkedTurns.ofTurns(session.live(c.state), WorkLog.finish(folded), WorkLog.usageByTurn(folded))
      const largest = WebTurn.largest(views)
      return {
        threadId: id,
        title,
        line: n,
        lastLine: recording.lastNumber,
        position: c.position,
        steps: Timeline.end(t),
        turn: Timeline.turnAt(t, c.position),
        turnCount: t.marks.length,
        turnLines,
        label: label(c.line),
        raw: c.line === undefined ? "" : clip(c.line.log.raw, 2000),
        turns: views.slice(-SHOWN).map((v) => WebTurn.entry(v, largest))
      }
    }
  })

export const make = (ctx: WebTranscript.Context) => {
  let kept: { readonly id: string; readonly version: string; readonly frameAt: Promise<FrameAt> } | undefined
  return async (id: string, line: number | null): Promise<Api.ReplayFrame> => {
    const t = await WebTranscriptRead.find(ctx.source, id)
    const version = await ctx.source.version(t)
    if (kept === undefined || kept.id !== t.id || kept.version !== version) {
      const title = t.name ?? (t.preview.split("\n")[0] || t.id)
      const reader = await ctx.source.reader(t)
      const frameAt = WebTranscriptRead.runRead(
        Effect.gen(function* () {
          const paths = yield* ThreadArgument.resolveRollout(t.path, reader.home)
          return yield* Replay.open(paths, reader.home)
        }),
        ctx.report,
        reader.files
      ).then((recording) => framer(recording, t.id, title))
      kept = { id: t.id, version, frameAt }
      frameAt.catch(() => (kept = undefined))
    }
    return (await kept.frameAt)(line)
  }
}

/**
 * A replay against its recording, for the web app: the thread's session re-executed with the
 * machinery of `rollout replay --verify` (`@rollout/engine/Replay`: the recorded model output
 * served back, recorded clocks and ids) and the re-executed lines compared with the recorded ones.
 * The answer says they are identical, or where they first differ, line and members
 * (`JsonDiff`), or why the thread cannot be re-executed (a session another writer recorded that
 * no turn of re-executes as `rollout run --resume`). Re-executions run one at a time and their
 * answers are kept while the thread's files are unchanged.
 */
import { Effect } from "effect"
import * as Replay from "@rollout/engine/Replay"
import * as Files from "@rollout/log/Files"
import * as ThreadArgument from "@rollout/query/ThreadArgument"
import type * as Api from "@rollout/web/Api"
import * as JsonDiff from "./JsonDiff.js"
import * as WebThreads from "./WebThreads.js"
import * as WebTranscript from "./WebTranscript.js"

/** `session_meta.originator` of the sessions this engine records (as `replay --verify` checks it). */
const ENGINE = "rollout"
const KEEP = 8

type Verdict = Pick<Api.VerifyAnswer, "verdict" | "message" | "resumedAt" | "difference">

const answer = (verdict: Replay.Verdict, resumedAt: number | null): Verdict => {
  const d = verdict.firstDifference
  return {
    verdict: verdict.identical ? "identical" : "different",
    message: null,
    resumedAt,
    difference: d === null ? null : { line: d.line, expected: d.expected, actual: d.actual, fields: JsonDiff.fields(d.expected, d.actual) }
  }
}

const unavailable = (message: string): Verdict => ({ verdict: "unavailable", message, resumedAt: null, difference: null })

const reexecute = async (home: string | undefined, paths: ReadonlyArray<string>): Promise<Verdict> => {
  // The engine re-executes from files on this disk, which the team database's copies are not.
  if (home === undefined)
    return unavailable("A thread from the team database cannot be re-executed here: run rollout replay --verify on the machine that pushed it.")
  const meta = await Effect.runPromise(ThreadArgument.firstMeta(paths[0] ?? "").pipe(Effect.provideService(Files.Files, Files.node)))
  const originator = meta?.["originator"]
  try {
    if (originator === ENGINE) return answer(await Replay.verify(Files.node, paths, { codexHome: home }), null)
    const resumed = paths.length === 1 ? await Replay.verifyResumed(Files.node, paths[0] as string, { codexHome: home }) : undefined
    if (resumed !== undefined) return answer(resumed, resumed.resumedAt)
  } catch (e) {
    return unavailable(`the re-execution failed: ${e instanceof Error ? e.message : String(e)}`)
  }
  const by = typeof originator === "string" ? `"${originator}"` : "another writer"
  return unavailable(
    `Only sessions this engine recorded (rollout run) can be re-executed against their recording. This thread was written by ${by}, and no turn of it re-executes as a session of rollout run --resume. Its replay steps through the recorded lines instead.`
  )
}

export const make = (ctx: WebTranscript.Context) => {
  const kept = new Map<string, { readonly version: string; readonly verdict: Promise<Verdict> }>()
  // One re-execution at a time: each starts an engine and a model server.
  let queue: Promise<unknown> = Promise.resolve()
  return async (id: string): Promise<Api.VerifyAnswer> => {
    const t = await WebTranscript.find(ctx.source, id)
    const version = await ctx.source.version(t)
    let hit = kept.get(t.id)
    if (hit === undefined || hit.version !== version) {
      const verdict = queue.then(() => reexecute(ctx.source.local?.home, t.paths))
      queue = verdict.catch(() => undefined)
      hit = { version, verdict }
      kept.delete(t.id)
      kept.set(t.id, hit)
      while (kept.size > KEEP) kept.delete(kept.keys().next().value as string)
    }
    return { thread: { id: t.id, title: WebThreads.row(t).title || t.id }, ...(await hit.verdict) }
  }
}

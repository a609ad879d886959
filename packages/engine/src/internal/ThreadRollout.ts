/**
 * A thread's rollout file, opened: `materialize` creates it on the first turn and writes
 * `session_meta` (legacy history mode), as Codex does; `resume` re-opens a file written earlier (Codex's or ours) to append to it.
 * Either way the thread's rollout becomes `Open`, its subscribers see the lines, and its trace
 * starts. It does not run turns (`Turn`) or close files (`Thread.close`).
 */
import * as CodexHome from "@rollout/log/CodexHome"
import * as Json from "@rollout/protocol/Json"
import * as WriterVersion from "@rollout/protocol/WriterVersion"
import type * as RolloutLine from "@rollout/protocol/RolloutLine"
import type { Clock } from "../Clock.js"
import type { Usage } from "./ModelClient.js"
import * as Recorder from "./Recorder.js"
import type * as ResumeSource from "./ResumeSource.js"
import type * as Thread from "../Thread.js"

/** `session_meta.source`: `exec` for a root thread, `subagent.thread_spawn` for a spawned one. */
export const sessionSource = (thread: Thread.Thread): unknown => {
  const spawn = thread.spawn
  if (spawn === undefined) return "exec"
  return {
    subagent: {
      thread_spawn: {
        parent_thread_id: spawn.parentThreadId,
        depth: spawn.depth,
        agent_path: spawn.agentPath,
        agent_nickname: spawn.agentNickname,
        agent_role: spawn.agentRole
      }
    }
  }
}

/** Creates the rollout file and writes `session_meta` (once). */
export const materialize = async (thread: Thread.Thread): Promise<Recorder.Recorder> => {
  if (thread.rollout._tag !== "Unwritten") return thread.rollout.recorder
  const stamp = thread.clock.now()
  let first = true
  // The session_meta stamp picks the file name, so it is read before the file exists and handed
  // to the recorder as its first clock reading.
  const clock: Clock = {
    now: () => {
      if (first) {
        first = false
        return stamp
      }
      return thread.clock.now()
    },
    sleep: thread.clock.sleep
  }
  const path = CodexHome.newRolloutPath(thread.services.codexHome, stamp, thread.id)
  const recorder = await Recorder.open(path, thread.id, clock, thread.services.durability === undefined ? {} : { durability: thread.services.durability })
  open(thread, recorder, path)
  const spawn = thread.spawn
  await recorder.record((at) => ({
    type: "session_meta",
    payload: {
      session_id: thread.id,
      id: thread.id,
      ...(spawn === undefined ? {} : { parent_thread_id: spawn.parentThreadId }),
      timestamp: new Date(at).toISOString(),
      cwd: thread.config.cwd,
      originator: thread.config.originator ?? "rollout",
      cli_version: thread.config.cliVersion ?? thread.config.writerVersion ?? WriterVersion.newest,
      source: sessionSource(thread),
      ...(spawn === undefined ? {} : { thread_source: "subagent", agent_path: spawn.agentPath }),
      ...(spawn?.agentRole == null ? {} : { agent_role: spawn.agentRole }),
      model_provider: thread.config.modelProvider ?? "openai",
      base_instructions: { text: thread.config.instructions },
      history_mode: "legacy",
      multi_agent_version: "v2"
    }
  }))
  return recorder
}

/**
 * Re-opens a thread's rollout to continue it: the model-visible history and token usage come from
 * the resume reducer's answer (`ResumeSource`, read from the end of the file), the restored items
 * are sent as the file has them (ids included, as Codex sends them on resume), the live view folds
 * `existing` (the whole file, when the caller wants it; else only the new lines), and new lines are
 * appended (a line torn by a crash is closed off first by `RolloutWriter`). No new `session_meta`
 * is written.
 */
export const resume = async (
  thread: Thread.Thread,
  path: string,
  source: ResumeSource.Source,
  existing?: ReadonlyArray<RolloutLine.RolloutLine>
): Promise<void> => {
  const restored = source.output.history.map((item) => JSON.parse(Json.stringify(item)) as Thread.JsonObject)
  for (const item of restored) thread.restored.add(item)
  thread.history.push(...restored)
  const total = (source.output.tokenUsage as { total_token_usage?: Partial<Usage> } | null)?.total_token_usage
  if (total !== undefined) {
    thread.total = {
      input_tokens: total.input_tokens ?? 0,
      cached_input_tokens: total.cached_input_tokens ?? 0,
      output_tokens: total.output_tokens ?? 0,
      reasoning_output_tokens: total.reasoning_output_tokens ?? 0,
      total_tokens: total.total_tokens ?? 0
    }
  }
  const recorder = await Recorder.open(path, thread.id, thread.clock, {
    ...(existing === undefined ? { lastStamp: source.lastStamp } : { existing }),
    ...(thread.config.historyMode === "paginated" ? { historyMode: "paginated", nextOrdinal: (source.lastOrdinal ?? -1) + 1 } : {}),
    ...(thread.services.durability === undefined ? {} : { durability: thread.services.durability })
  })
  open(thread, recorder, path)
}

/** The file exists: subscribers see its lines, and the trace starts (it names the rollout path). */
const open = (thread: Thread.Thread, recorder: Recorder.Recorder, path: string): void => {
  recorder.subscribe((event) => thread.subscribers.forEach((s) => s(event)))
  thread.rollout = { _tag: "Open", recorder, trace: thread.services.traceFor?.(thread, path) }
}

/**
 * The engine's only source of fresh ids, injected so that a run is reproducible. Each thread has its
 * own sequence and takes ids in one fixed order, each right before the first line that shows it:
 * the turn id when a turn starts (`task_started.turn_id`), a child thread id when `spawn_agent`
 * creates a sub-agent (`sub_agent_activity.agent_thread_id`, kind `started`), a stop-hook
 * continuation's message id (`msg_<id>` of the `<hook_prompt>` user message). A root thread's own
 * id is the first id of the engine's root sequence (`session_meta.id`). So the ids of a recorded
 * rollout, read in file order, are exactly the sequence a replay hands back.
 */
import * as Crypto from "node:crypto"
import * as Uuid7 from "@rollout/reduce/Uuid7"

export interface Ids {
  readonly next: () => string
}

/** A UUIDv7 (time-ordered) for `epochMs`, randomness from `random`. */
export const uuidv7 = (epochMs: number, random: Uint8Array = Crypto.randomBytes(10)): string => Uuid7.fromBytes(epochMs, random)

/** Fresh UUIDv7s (wall-clock time plus randomness: ids are not part of the clock's read order). */
export const live = (): Ids => ({ next: () => uuidv7(Date.now()) })

/** Hands back `ids` in order; past the end it fails loudly (a replay that needs more ids diverged). */
export const replay = (ids: ReadonlyArray<string>): Ids => {
  let next = 0
  return {
    next: () => {
      const id = ids[next++]
      if (id === undefined) throw new Error(`replay ids: the recording has only ${ids.length} ids`)
      return id
    }
  }
}

/** Deterministic UUIDv7-shaped ids for tests and the demo: `seed` names the sequence. */
export const counter = (seed: number): Ids => {
  let n = 0
  return {
    next: () => {
      n++
      const random = Crypto.createHash("sha256").update(`${seed}:${n}`).digest().subarray(0, 10)
      return uuidv7(1_800_000_000_000 + seed * 1000 + n, random)
    }
  }
}

/**
 * The engine's only source of fresh ids, injected so that a run is reproducible. Each thread has its
 * own sequence and takes ids in one fixed order, each right before the first line that shows it:
 * the turn id when a turn starts (`task_started.turn_id`), a child thread id when `spawn_agent`
 * creates a sub-agent (`sub_agent_activity.agent_thread_id`, kind `started`), a stop-hook
 * continuation's message id (`msg_<id>` of the `<hook_prompt>` user message). A root thread's own
 * id is the first id of the engine's root sequence (`session_meta.id`). So the ids of a recorded
 * rollout, read in file order, are exactly the sequence a replay hands back.
 *
 * `IdSource` is the service the engine takes its sequences from (one per thread id; `""` names the
 * root threads' sequence): `layerLive` in production, `layerCounter` or `layerReplay` in tests and
 * replays.
 */
import * as Crypto from "node:crypto"
import { Context, Layer } from "effect"
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

/** The engine's id sequences: one per thread id; `""` gives the ids of root threads. */
export interface Source {
  readonly forThread: (threadId: string) => Ids
}

export class IdSource extends Context.Service<IdSource, Source>()("@rollout/engine/Ids/IdSource") {}

/** Fresh UUIDv7s for every thread. */
export const layerLive: Layer.Layer<IdSource> = Layer.succeed(IdSource, { forThread: () => live() })

/** A `counter` sequence per thread, seeded by `seedFor(threadId)`. */
export const layerCounter = (seedFor: (threadId: string) => number): Layer.Layer<IdSource> =>
  Layer.succeed(IdSource, { forThread: (threadId) => counter(seedFor(threadId)) })

/** Each thread hands back its recorded ids (see `replay`). */
export const layerReplay = (idsFor: (threadId: string) => ReadonlyArray<string>): Layer.Layer<IdSource> =>
  Layer.succeed(IdSource, { forThread: (threadId) => replay(idsFor(threadId)) })

/** Any sequence per thread. */
export const layer = (forThread: (threadId: string) => Ids): Layer.Layer<IdSource> => Layer.succeed(IdSource, { forThread })

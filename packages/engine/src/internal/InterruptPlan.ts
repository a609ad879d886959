/**
 * Replay: where the recording interrupted each turn of a thread, and the engine interrupting it
 * there itself. Live, an interrupt lands whenever it is sent (the user's, or another agent's
 * `interrupt_agent`), so where it cuts a turn depends on how far the turn had got by then, which a
 * re-run does not reproduce: its threads and its model answer at their own pace. A re-run is held
 * to the recording instead: the turn is aborted while its n-th line is being published, before it
 * goes on, n being the number of lines the turn (from its `task_started`) had written when the
 * recording's `turn_aborted` came. Whoever interrupted live then only waits for that turn to end
 * (`Registry`). It is not the interrupt itself (`Thread.interrupt`) nor the recording's reading
 * (`Recording`).
 */
import * as Thread from "../Thread.js"

/** For a turn id: the number of the turn's lines written before its recorded `turn_aborted`, if it was interrupted. */
export type Plan = (turnId: string) => number | undefined

/** Interrupts the thread's turns where `plan` says (for as long as the thread lives). */
export const follow = (thread: Thread.Thread, plan: Plan): void => {
  let turnLines = 0
  Thread.subscribe(thread, (event) => {
    if (!event.persisted) return
    const line = event.line
    if (line.type === "event_msg" && line.payload.type === "task_started") turnLines = 0
    turnLines++
    const activity = thread.activity
    // Synchronously, while the line is published: the turn sees the abort at its next step.
    if (activity._tag === "Running" && plan(activity.turnId) === turnLines) void Thread.interrupt(thread)
  })
}

/**
 * What an agent's interrupt of `thread` does on replay: the plan has cut (or will cut) the turn
 * where the recording did, or the recorded interrupt found the agent idle once this turn had ended;
 * either way the call returns when the running turn has ended, as it did live.
 */
export const awaitTurnEnd = async (thread: Thread.Thread): Promise<void> => {
  await Thread.done(thread)?.catch(() => undefined)
}

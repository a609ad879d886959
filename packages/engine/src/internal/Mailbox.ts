/**
 * A sub-agent's mailbox: messages another agent sent (`send_message`) while this thread was in a
 * turn. They are not taken in whenever they happen to land: a turn delivers its mailbox only at a
 * model-call boundary (before each model request, and once more when the model would end the turn),
 * each message as one inter-agent message in the history — an assistant message whose text is
 * Codex's `InterAgentCommunication` JSON (`author`, `recipient`, `other_recipients`, `content`,
 * `trigger_turn`), recorded as a `response_item`. A boundary is named by the turn and the number of
 * `token_count` lines the turn has written so far, which is what `Recording` reads back.
 *
 * Live, a boundary delivers everything that has arrived. On replay, a plan (from the recording)
 * says which messages each boundary delivered; the boundary waits until those have arrived and
 * delivers exactly those, in the recorded order, so a message that lands at a different moment in
 * the re-run (or before another sender's, where it came after it) still enters the history at the
 * recorded point. Mail left when a turn ends, or sent to an idle
 * thread, starts the next turn with the message as its input (`Thread`) if it triggers a turn; a child's completion notification (`notification`, Codex's
 * `trigger_turn: false`) never does: it waits for the recipient's next boundary, and delivered at
 * the boundary where the model would end the turn it does not continue the turn. It does not route
 * messages between agents (`MultiAgent`, `Engine`), and mail itself is data (`Mail`); posting it
 * into a thread's mailbox is `Thread.post`.
 */
import * as Mail from "./Mail.js"
import * as Thread from "../Thread.js"
import * as ThreadTrace from "./ThreadTrace.js"

/** Where each of `expected` is in the mailbox (each entry used once), or undefined while one is missing. */
const find = (mailbox: ReadonlyArray<Mail.Mail>, expected: ReadonlyArray<Mail.Mail>): Array<number> | undefined => {
  const used: Array<number> = []
  for (const mail of expected) {
    const at = mailbox.findIndex((m, i) => !used.includes(i) && Mail.same(m, mail))
    if (at < 0) return undefined
    used.push(at)
  }
  return used
}

const arrived = (thread: Thread.Thread, expected: ReadonlyArray<Mail.Mail>, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const check = () => {
      if (find(thread.mailbox, expected) !== undefined || signal.aborted) {
        signal.removeEventListener("abort", check)
        resolve()
      } else thread.mailWaiters.add(check)
    }
    signal.addEventListener("abort", check, { once: true })
    check()
  })

/** Records `mail` as an inter-agent message in the thread's history (a delivery, or the input that starts a turn). */
export const receive = async (thread: Thread.Thread, mail: Mail.Mail): Promise<void> => {
  const delivered = Mail.item(mail, thread.agentPath)
  thread.history.push(delivered)
  ThreadTrace.accepted(thread.trace, Thread.turnId(thread), delivered)
  await Thread.recorderOf(thread).record({ type: "response_item", payload: delivered })
}

/**
 * Delivers the mailbox at the current boundary of the running turn (records each message and adds
 * it to the history); resolves to the mail delivered. With a replay plan it waits for the recorded
 * messages (or an abort) and takes those.
 */
export const deliver = async (thread: Thread.Thread, signal: AbortSignal): Promise<ReadonlyArray<Mail.Mail>> => {
  const turn = Thread.current(thread)
  const turnId = turn.turnId
  const boundary = `${turnId}/${turn.usages}`
  if (turn.boundary.key !== boundary) turn.boundary = { key: boundary, delivered: 0 }
  const plan = thread.services.mailboxPlan?.(thread.id)
  let taken: ReadonlyArray<Mail.Mail>
  if (plan === undefined) taken = thread.mailbox.splice(0, thread.mailbox.length)
  else {
    const expected = plan(turnId, turn.usages).slice(turn.boundary.delivered)
    if (expected.length > 0) await arrived(thread, expected, signal)
    if (signal.aborted) return []
    taken = take(thread, expected)
  }
  for (const mail of taken) await receive(thread, mail)
  turn.boundary = { key: boundary, delivered: turn.boundary.delivered + taken.length }
  return taken
}

/** Takes `expected` (all in the mailbox) out of it, in the order given. */
const take = (thread: Thread.Thread, expected: ReadonlyArray<Mail.Mail>): ReadonlyArray<Mail.Mail> => {
  const at = find(thread.mailbox, expected) ?? []
  const taken = at.map((i) => thread.mailbox[i] as Mail.Mail)
  for (const i of [...at].sort((a, b) => b - a)) thread.mailbox.splice(i, 1)
  return taken
}

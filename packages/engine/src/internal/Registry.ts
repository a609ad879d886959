/**
 * The engine's threads, children included, by id and by agent path, and what the family of a
 * thread does through it: the multi-agent tools' `Agents` (spawn, message, follow up, interrupt),
 * a child's completion notification to its parent, and the trace bundle a thread joins. It does
 * not build threads' services (`Engine`) or run turns (`Turn`).
 */
import type * as Clock from "../Clock.js"
import * as InterruptPlan from "./InterruptPlan.js"
import * as Mail from "./Mail.js"
import type * as MultiAgent from "./MultiAgent.js"
import * as Thread from "../Thread.js"
import * as ThreadRollout from "./ThreadRollout.js"
import * as ThreadTrace from "./ThreadTrace.js"
import * as Turn from "./Turn.js"

/** The engine's threads, children included, by id and by agent path. */
export interface Registry {
  readonly threads: Map<string, Thread.Thread>
  readonly byPath: Map<string, Thread.Thread>
}

export const empty = (): Registry => ({ threads: new Map(), byPath: new Map() })

/** Adds a thread (before its first line); on replay it follows its recorded interrupts from then on. */
export const register = (registry: Registry, thread: Thread.Thread): Thread.Thread => {
  registry.threads.set(thread.id, thread)
  registry.byPath.set(thread.agentPath, thread)
  const plan = thread.services.interruptPlan?.(thread.id)
  if (plan !== undefined) InterruptPlan.follow(thread, plan)
  return thread
}

/** Starts a turn on an idle thread and resolves once its input (user message or inter-agent message) is written. */
const startTurn = async (thread: Thread.Thread, input: Thread.Input): Promise<void> => {
  const started = new Promise<void>((resolve) => {
    const off = Thread.subscribe(thread, (event) => {
      const line = event.line
      if (
        (line.type === "event_msg" && line.payload.type === "user_message") ||
        (line.type === "response_item" && Mail.parse(line.payload as { readonly [key: string]: unknown }) !== undefined)
      ) {
        off()
        resolve()
      }
    })
  })
  Thread.submit(thread, input, Turn.run)
  await Promise.race([started, Thread.done(thread)])
}

export const agents = (registry: Registry, config: Thread.Config, services: Thread.Services): MultiAgent.Agents => ({
  spawn: async (parent, name, role, message) => {
    const id = parent.ids.next()
    const spawn: Thread.Spawn = {
      parentThreadId: parent.id,
      depth: (parent.spawn?.depth ?? 0) + 1,
      agentPath: `${parent.agentPath}/${name}`,
      agentRole: role,
      agentNickname: null
    }
    const child = register(registry, Thread.make(id, config, services, spawn))
    await startTurn(child, message)
    return child
  },
  followup: async (sender, thread, text) => {
    await Thread.idle(thread)
    await startTurn(thread, { author: sender.agentPath, content: text, triggerTurn: true })
  },
  find: (path) => registry.byPath.get(path),
  send: async (sender, thread, text) => {
    // A running agent takes the message at its next model-call boundary (see `Mailbox`); an idle
    // one starts a turn with it.
    Thread.submit(thread, { author: sender.agentPath, content: text, triggerTurn: true }, Turn.run)
  },
  // On replay the thread's interrupts are placed by its plan, where the recording had them.
  interrupt: (thread) => (thread.services.interruptPlan?.(thread.id) === undefined ? Thread.interrupt(thread) : InterruptPlan.awaitTurnEnd(thread))
})

/**
 * A sub-agent's turn ended with a final status: its completion notification goes to the parent's
 * mailbox (taken in at the parent's next model-call boundary, never starting a parent turn), and
 * the child's trace records the delivery (`agent_result_observed`).
 */
export const notifyParent = (registry: Registry, thread: Thread.Thread, turnId: string, status: Mail.AgentStatus): void => {
  const parent = thread.spawn === undefined ? undefined : registry.threads.get(thread.spawn.parentThreadId)
  if (parent === undefined) return
  const message = Mail.notification(thread.agentPath, status)
  Thread.post(parent, { author: thread.agentPath, content: message, triggerTurn: false })
  ThreadTrace.agentResult(thread.trace, turnId, parent.id, { child_agent_path: thread.agentPath, message, status })
}

/** A root thread opens a bundle; a spawned child joins its parent's (none if the parent has none). */
export const traceFor = (
  registry: Registry,
  root: string,
  clockFor: (threadId: string) => Clock.Clock,
  thread: Thread.Thread,
  rolloutPath: string
): ThreadTrace.ThreadTrace | undefined => {
  const metadata: ThreadTrace.Metadata = {
    threadId: thread.id,
    agentPath: thread.agentPath,
    agentRole: thread.spawn?.agentRole ?? null,
    nickname: thread.spawn?.agentNickname ?? null,
    sessionSource: ThreadRollout.sessionSource(thread),
    cwd: thread.config.cwd,
    rolloutPath,
    model: thread.config.model,
    providerName: thread.config.modelProvider ?? "openai"
  }
  if (thread.spawn === undefined) {
    const clock = clockFor(`trace:${thread.id}`)
    return ThreadTrace.startRoot(root, () => clock.now(), metadata)
  }
  const parent = registry.threads.get(thread.spawn.parentThreadId)?.trace
  return parent === undefined ? undefined : ThreadTrace.startChild(parent, metadata)
}

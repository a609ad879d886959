// Sub-agent mailboxes: a send_message that lands while the child is mid-turn is delivered at the
// child's next model-call boundary (an inter-agent message item after the k-th token_count; at the
// boundary where the model would end the turn, it continues the turn), and
// the replay delivers it at the same boundary even though, re-run, the message lands at another
// moment (the scripted server no longer holds the child back); mail from two senders is delivered
// in the recorded order, whichever lands first when re-run.
import { describe, expect, it } from "vitest"
import * as ModelScript from "@rollout/engine/ModelScript"
import * as Recording from "@rollout/engine/Recording"
import * as Thread from "@rollout/engine/Thread"
import { expectSound, payloads, perTest } from "./EngineHarness.js"

const start = perTest()

describe("mailbox", () => {
  it("delivers mid-turn mail at the next model-call boundary, and replay delivers it there too", async () => {
    let rootId = ""
    let childRequests = 0
    let lastRequest: () => void = () => undefined
    const childAtLastCall = new Promise<void>((resolve) => (lastRequest = resolve))
    let release: () => void = () => undefined
    const sent = new Promise<void>((resolve) => (release = resolve))
    const parent: Array<() => Promise<ModelScript.Turn>> = [
      async () => ModelScript.call("spawn_agent", { task_name: "worker", message: "Nap twice, then count" }, "call_spawn"),
      async () => {
        // Sent while the worker waits for the model response that ends its turn: it lands between
        // boundaries 3 and 4 and so continues the turn. Re-run, nothing holds the worker back and the
        // message lands much earlier (during its first naps): only the recorded plan keeps it at 4.
        await childAtLastCall
        return ModelScript.call("send_message", { target: "worker", message: "Count to five" }, "call_send")
      },
      async () => {
        release()
        await Thread.idle([...engine.threads.values()].find((t) => t.id !== rootId)!)
        return ModelScript.reply("Delegated.")
      }
    ]
    const child: Array<() => Promise<ModelScript.Turn>> = [
      async () => ModelScript.call("sleep", { duration_ms: 1 }, "call_nap_1"),
      async () => ModelScript.call("sleep", { duration_ms: 1 }, "call_nap_2"),
      async () => ModelScript.call("sleep", { duration_ms: 1 }, "call_nap_3"),
      async () => {
        await sent
        return ModelScript.reply("1 2 3")
      },
      async () => ModelScript.reply("1 2 3 4 5")
    ]
    const { engine, home, server } = await start([], {}, (request) => {
      if (request.headers["session_id"] === rootId) return parent.shift()?.()
      if (++childRequests === 4) lastRequest()
      return child.shift()?.()
    })
    const thread = engine.startThread()
    rootId = thread.id
    await thread.run("Delegate")
    await engine.close()
    const worker = [...engine.threads.values()].find((t) => t.id !== rootId)!
    const lines = payloads(worker.recorder!.path)

    const mail = lines.findIndex((l) => l.type === "response_item" && l.payload.role === "assistant" && String(l.payload.content[0].text).startsWith("{"))
    expect(lines.slice(0, mail).filter((l) => l.payload.type === "token_count")).toHaveLength(4)
    expect(lines.filter((l) => l.payload.type === "task_started")).toHaveLength(1)
    const recording = Recording.fromLines(lines, false)
    expect([...recording.turns[0]!.deliveries]).toEqual([[4, [{ author: "/root", content: "Count to five", triggerTurn: true }]]])
    // The delivered mail is not model output: the recorded responses are the five scripted ones.
    expect(recording.turns[0]!.modelCalls).toHaveLength(5)
    // The fifth child request carried the mail as an inter-agent message, after the reply it continued.
    const fifth = server.requests.filter((r) => r.headers["session_id"] === worker.id)[4]!
    const input = (fifth.body as { input: Array<any> }).input
    expect(JSON.parse(input.at(-1).content[0].text)).toEqual({
      author: "/root",
      recipient: "/root/worker",
      other_recipients: [],
      content: "Count to five",
      trigger_turn: true
    })

    await expectSound(home, thread.path()!)
    await expectSound(home, worker.recorder!.path)
  })

  it("delivers mail from two senders in the recorded order, whichever lands first when re-run", async () => {
    let rootId = ""
    let parentAtLastCall: () => void = () => undefined
    const lastCall = new Promise<void>((resolve) => (parentAtLastCall = resolve))
    const agent = (path: string) => [...engine.threads.values()].find((t) => t.agentPath === path)!
    const parent: Array<() => Promise<ModelScript.Turn>> = [
      async () => ModelScript.call("spawn_agent", { task_name: "first", message: "Say one" }, "call_first"),
      async () => ModelScript.call("spawn_agent", { task_name: "second", message: "Say two" }, "call_second"),
      async () => {
        // Both completions land while this request runs: the boundary where the turn would end takes both.
        parentAtLastCall()
        await Promise.all([Thread.idle(agent("/root/first")), Thread.idle(agent("/root/second"))])
        return ModelScript.reply("Both answered.")
      }
    ]
    // The second worker ends first; re-run, nothing holds the first back and it usually ends first.
    const answers: Record<string, () => Promise<ModelScript.Turn>> = {
      "/root/first": async () => {
        // Not before the parent's last call: until then /root/second may not exist yet (a loaded
        // machine ran this request before the second spawn, and its mail landed a call early).
        await lastCall
        await Thread.idle(agent("/root/second"))
        return ModelScript.reply("one")
      },
      "/root/second": async () => {
        await lastCall
        return ModelScript.reply("two")
      }
    }
    const { engine, home } = await start([], {}, (request) => {
      const sender = String(request.headers["session_id"])
      return sender === rootId ? parent.shift()?.() : answers[engine.threads.get(sender)!.agentPath]!()
    })
    const thread = engine.startThread()
    rootId = thread.id
    await thread.run("Ask both")
    await engine.close()
    const delivered = Recording.fromLines(payloads(thread.path()!), true).turns[0]!.deliveries
    expect([...delivered].map(([at, mail]) => [at, mail.map((m) => m.author)])).toEqual([[3, ["/root/second", "/root/first"]]])

    await expectSound(home, thread.path()!)
  })
})

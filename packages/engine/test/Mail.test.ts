import { describe, expect, it } from "vitest"
import * as Mail from "../src/internal/Mail.js"

describe("Mail", () => {
  it("writes mail as Codex's inter-agent message and reads it back", () => {
    const item = Mail.item({ author: "/root", content: "Count to five", triggerTurn: true }, "/root/worker")
    expect(item).toEqual({
      type: "message",
      role: "assistant",
      content: [
        { type: "output_text", text: '{"author":"/root","recipient":"/root/worker","other_recipients":[],"content":"Count to five","trigger_turn":true}' }
      ]
    })
    expect(Mail.parse(item)).toEqual({ author: "/root", content: "Count to five", triggerTurn: true })
  })

  it("writes a child's completion notification as mail that does not trigger a turn", () => {
    const content = Mail.notification("/root/worker", { completed: "3 unit tests fail." })
    expect(content).toBe('<subagent_notification>\n{"agent_id":"/root/worker","status":{"completed":"3 unit tests fail."}}\n</subagent_notification>')
    const item = Mail.item({ author: "/root/worker", content, triggerTurn: false }, "/root")
    expect(JSON.parse((item["content"] as Array<{ text: string }>)[0]!.text)).toMatchObject({ author: "/root/worker", recipient: "/root", trigger_turn: false })
    expect(Mail.parse(item)).toEqual({ author: "/root/worker", content, triggerTurn: false })
  })

  it("does not take model output for mail", () => {
    expect(Mail.parse({ type: "message", role: "assistant", content: [{ type: "output_text", text: "{not json" }] })).toBeUndefined()
    expect(Mail.parse({ type: "message", role: "assistant", content: [{ type: "output_text", text: '{"content":"x"}' }] })).toBeUndefined()
    expect(
      Mail.parse({
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: '{"author":"/root","recipient":"/root/a","content":"x","trigger_turn":true}' }]
      })
    ).toBeUndefined()
  })
})

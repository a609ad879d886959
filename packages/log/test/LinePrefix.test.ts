import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as LinePrefix from "@rollout/log/LinePrefix"

const bytes = (s: string) => Buffer.from(s, "utf8")
const read = (s: string) => LinePrefix.read(bytes(s), 0, bytes(s).length)

describe("LinePrefix", () => {
  it("given a line as Codex writes it, then the prefix is what JSON.parse says", () => {
    const word = fc.stringMatching(/^[a-z_]{1,20}$/)
    fc.assert(
      fc.property(word, word, fc.option(fc.nat(), { nil: undefined }), fc.boolean(), fc.json(), (type, tag, ordinal, tagged, rest) => {
        const payload = tagged ? { type: tag, rest: JSON.parse(rest) } : { id: "x", type: tag }
        const line = JSON.stringify({ timestamp: "2026-07-14T07:06:00.000Z", ...(ordinal === undefined ? {} : { ordinal }), type, payload })
        const buf = bytes(line)
        const p = LinePrefix.read(buf, 0, buf.length)
        expect(p).toEqual({ timestamp: "2026-07-14T07:06:00.000Z", type, tag: tagged ? tag : undefined, bytes: buf, start: 0, end: buf.length })
      })
    )
  })

  it("given anything not in Codex's exact shape, then it answers nothing rather than guess", () => {
    for (const line of [
      '{"type":"event_msg","timestamp":"t","payload":{"type":"x"}}',
      '{ "timestamp":"t","type":"event_msg","payload":{"type":"x"}}',
      '{"timestamp":"t\\"","type":"event_msg","payload":{"type":"x"}}',
      '{"timestamp":"t","type":"ev\\u0065nt_msg","payload":{"type":"x"}}',
      '{"timestamp":"t","type":"évent","payload":{"type":"x"}}',
      '{"timestamp":"t","ordinal":,"type":"event_msg","payload":{"type":"x"}}',
      '{"timestamp":"t","type":"event_msg","payload":{"type":"unterminated',
      '{"timestamp":"t"'
    ])
      expect([line, read(line)]).toEqual([line, undefined])
  })
})

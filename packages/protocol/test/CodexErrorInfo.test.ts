import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as CodexErrorInfo from "@rollout/protocol/CodexErrorInfo"
import * as Json from "@rollout/protocol/Json"

const decode = Schema.decodeUnknownSync(CodexErrorInfo.CodexErrorInfo)
const encode = Schema.encodeSync(CodexErrorInfo.CodexErrorInfo)
const roundTrip = (text: string): string => Json.stringify(encode(decode(JSON.parse(text))))

describe("CodexErrorInfo wire encoding", () => {
  it.each([
    '"context_window_exceeded"',
    '"session_budget_exceeded"',
    '"usage_limit_exceeded"',
    '"rate_limit_exceeded"',
    '"server_overloaded"',
    '"cyber_policy"',
    '"thread_rollback_failed"',
    '"other"',
    '{"http_connection_failed":{"http_status_code":502}}',
    '{"http_connection_failed":{"http_status_code":null}}',
    '{"response_stream_connection_failed":{"http_status_code":503}}',
    '{"response_stream_disconnected":{"http_status_code":null}}',
    '{"response_too_many_failed_attempts":{"http_status_code":429}}',
    '{"active_turn_not_steerable":{"turn_kind":"review"}}',
    '{"active_turn_not_steerable":{"turn_kind":"compact"}}'
  ])("round-trips %s byte for byte", (text) => {
    expect(roundTrip(text)).toBe(text)
  })

  it("keeps an unknown string instead of mapping it to other", () => {
    // given a variant from a future Codex
    const info = decode("quota_melted")
    // then it is kept verbatim
    expect(info).toBe("quota_melted")
    expect(CodexErrorInfo.variant(info)).toBe("quota_melted")
  })

  it("keeps an unknown data variant with its fields", () => {
    const text = '{"quota_melted":{"retry_after_s":30,"note":"x"}}'
    expect(roundTrip(text)).toBe(text)
    expect(CodexErrorInfo.variant(decode(JSON.parse(text)))).toBe("quota_melted")
  })

  it("keeps the legacy rollout_budget_exceeded as written and normalises it on request", () => {
    // given the name that lived on main for under two hours
    const info = decode("rollout_budget_exceeded")
    // when decoded, then it is not rewritten
    expect(info).toBe("rollout_budget_exceeded")
    expect(Json.stringify(encode(info))).toBe('"rollout_budget_exceeded"')
    // when normalised, then it is the canonical name
    expect(CodexErrorInfo.normalize(info)).toBe("session_budget_exceeded")
  })

  it("normalize leaves every other value alone", () => {
    const data = decode({ http_connection_failed: { http_status_code: 502 } })
    expect(CodexErrorInfo.normalize("session_budget_exceeded")).toBe("session_budget_exceeded")
    expect(CodexErrorInfo.normalize(data)).toBe(data)
  })
})

describe("CodexErrorInfo.isTurnFailure", () => {
  it("is false for a failed rollback and for a non-steerable active turn", () => {
    expect(CodexErrorInfo.isTurnFailure("thread_rollback_failed")).toBe(false)
    expect(CodexErrorInfo.isTurnFailure(decode({ active_turn_not_steerable: { turn_kind: "review" } }))).toBe(false)
  })

  it("is true for every other value, for unknown values and for a missing info", () => {
    for (const info of ["session_budget_exceeded", "rollout_budget_exceeded", "other", "quota_melted"]) {
      expect(CodexErrorInfo.isTurnFailure(info), info).toBe(true)
    }
    expect(CodexErrorInfo.isTurnFailure(decode({ http_connection_failed: { http_status_code: 502 } }))).toBe(true)
    expect(CodexErrorInfo.isTurnFailure(null)).toBe(true)
  })
})

describe("ErrorEvent", () => {
  const decodeEvent = Schema.decodeUnknownSync(CodexErrorInfo.ErrorEvent)
  const encodeEvent = Schema.encodeSync(CodexErrorInfo.ErrorEvent)

  it("round-trips the budget error of a failed turn", () => {
    const text = '{"message":"shared rollout token budget exhausted","codex_error_info":"session_budget_exceeded"}'
    expect(Json.stringify(encodeEvent(decodeEvent(JSON.parse(text))))).toBe(text)
  })

  it("writes a null codex_error_info and omits a missing one (pre-enum errors)", () => {
    expect(Json.stringify(encodeEvent(decodeEvent({ message: "boom", codex_error_info: null })))).toBe('{"message":"boom","codex_error_info":null}')
    expect(Json.stringify(encodeEvent(decodeEvent({ message: "boom" })))).toBe('{"message":"boom"}')
  })
})

import { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Json from "@rollout/protocol/Json"
import * as TokenUsage from "@rollout/protocol/TokenUsage"

const roundTrip =
  <S extends Schema.Codec<unknown, unknown>>(schema: S) =>
  (text: string): string =>
    Json.stringify(Schema.encodeSync(schema)(Schema.decodeUnknownSync(schema)(JSON.parse(text))))

const usage = (n: number) =>
  `{"input_tokens":${n},"cached_input_tokens":0,"cache_write_input_tokens":0,"output_tokens":1,"reasoning_output_tokens":0,"total_tokens":${n + 1}}`

describe("TokenUsage", () => {
  it("does not default a missing cache_write_input_tokens on read", () => {
    // given an older usage object without the cache-write count
    const text = '{"input_tokens":3,"cached_input_tokens":1,"output_tokens":2,"reasoning_output_tokens":0,"total_tokens":5}'
    const decoded = Schema.decodeUnknownSync(TokenUsage.TokenUsage)(JSON.parse(text))
    // then it stays absent, the bytes round-trip, and the helper applies Codex's default
    expect("cache_write_input_tokens" in decoded).toBe(false)
    expect(roundTrip(TokenUsage.TokenUsage)(text)).toBe(text)
    expect(TokenUsage.cacheWriteInputTokens(decoded)).toBe(0)
  })

  it("rejects fractional token counts", () => {
    const bad = JSON.parse(usage(1)) as Record<string, unknown>
    bad.output_tokens = 1.5
    expect(() => Schema.decodeUnknownSync(TokenUsage.TokenUsage)(bad)).toThrow()
  })
})

describe("RateLimitSnapshot", () => {
  it("writes used_percent with Rust's decimal point and keeps every null", () => {
    const text =
      '{"limit_id":"codex","limit_name":null,"primary":{"used_percent":19.0,"window_minutes":300,"resets_at":1784012345},"secondary":{"used_percent":3.5,"window_minutes":10080,"resets_at":1784500000},"credits":{"has_credits":true,"unlimited":false,"balance":"12.50"},"individual_limit":{"limit":"100","used":"40","remaining_percent":60,"resets_at":1784600000},"spend_control_reached":null,"plan_type":"plus","rate_limit_reached_type":null}'
    expect(roundTrip(TokenUsage.RateLimitSnapshot)(text)).toBe(text)
  })

  it("keeps a sparse 2025 snapshot as written, old fields included", () => {
    const text = '{"primary":{"used_percent":7.0,"window_minutes":300,"resets_in_seconds":120},"secondary":null}'
    expect(roundTrip(TokenUsage.RateLimitSnapshot)(text)).toBe(text)
  })

  it("keeps an unknown plan type", () => {
    const text = '{"plan_type":"galactic"}'
    expect(roundTrip(TokenUsage.RateLimitSnapshot)(text)).toBe(text)
  })

  it("round-trips any window (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.option(fc.nat(), { nil: null }),
        fc.option(fc.nat(), { nil: null }),
        (pct, minutes, resets) => {
          const text = `{"used_percent":${Json.floatText(pct)},"window_minutes":${minutes},"resets_at":${resets}}`
          expect(roundTrip(TokenUsage.RateLimitWindow)(text)).toBe(text)
        }
      )
    )
  })
})

describe("TokenUsageRecord", () => {
  it("round-trips a token_usage_record payload in declaration order", () => {
    const text = `{"thread_id":"t1","turn_id":"u1","session_id":"s1","root_turn_id":"u0","response_id":"resp_1","usage":${usage(10)},"turn_token_usage":${usage(20)},"thread_token_usage":${usage(30)}}`
    expect(roundTrip(TokenUsage.TokenUsageRecord)(text)).toBe(text)
  })

  it("requires every field", () => {
    const value = { thread_id: "t1", turn_id: "u1", session_id: "s1", root_turn_id: "u0", usage: JSON.parse(usage(1)) }
    expect(() => Schema.decodeUnknownSync(TokenUsage.TokenUsageRecord)(value)).toThrow()
  })
})

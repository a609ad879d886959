import { describe, expect, it } from "vitest"
import * as Access from "../src/Access.js"

describe("Access", () => {
  it("given a loopback host, when no token is given, then anyone on the machine is let in", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) {
      const policy = Access.decide(host, undefined)
      expect(policy.token).toBeUndefined()
      expect(Access.allows(policy, undefined, undefined)).toBe(true)
    }
  })

  it("given any other host, when no token is given, then one is generated and required", () => {
    for (const host of ["0.0.0.0", "192.168.1.4", "::", "example.org"]) {
      const policy = Access.decide(host, undefined, () => "generated-token-123")
      expect(policy.token).toBe("generated-token-123")
      expect(Access.allows(policy, undefined, undefined)).toBe(false)
      expect(Access.allows(policy, "Bearer generated-token-123", undefined)).toBe(true)
      expect(Access.allows(policy, "bearer generated-token-123", undefined)).toBe(true)
      expect(Access.allows(policy, undefined, "generated-token-123")).toBe(true)
      expect(Access.allows(policy, "Bearer generated-token-12", undefined)).toBe(false)
      expect(Access.allows(policy, "generated-token-123", undefined)).toBe(false)
      expect(Access.allows(policy, "Basic generated-token-123", "wrong")).toBe(false)
    }
  })

  it("a given token is required even on loopback, and a short one is refused", () => {
    const policy = Access.decide("127.0.0.1", "chosen-token")
    expect(Access.allows(policy, undefined, undefined)).toBe(false)
    expect(Access.allows(policy, undefined, "chosen-token")).toBe(true)
    expect(() => Access.decide("0.0.0.0", "")).toThrow(Access.NeedsToken)
    expect(() => Access.decide("0.0.0.0", "short")).toThrow(Access.NeedsToken)
  })

  it("generated tokens are long and distinct", () => {
    const a = Access.fresh()
    expect(a).toMatch(/^[\w-]{43}$/)
    expect(Access.fresh()).not.toBe(a)
  })
})

import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as SessionBudget from "../src/internal/SessionBudget.js"

describe("SessionBudget", () => {
  it("is exhausted once the charged tokens reach the limit", () => {
    const budget = SessionBudget.make(100)
    budget.charge(60)
    expect([budget.remaining(), budget.exhausted()]).toEqual([40, false])
    budget.charge(40)
    expect([budget.remaining(), budget.exhausted()]).toEqual([0, true])
  })

  it("a reminder states the remaining tokens, and parsing it gives them back", () => {
    fc.assert(fc.property(fc.nat(), (n) => SessionBudget.parseReminder(SessionBudget.reminder(n)) === n))
    expect(SessionBudget.parseReminder("You have 5 tokens")).toBeUndefined()
  })
})

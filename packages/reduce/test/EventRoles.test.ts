import * as EventMsg from "@rollout/protocol/EventMsg"
import * as ResponseItem from "@rollout/protocol/ResponseItem"
import * as EventRoles from "@rollout/reduce/EventRoles"
import * as ItemRoles from "@rollout/reduce/ItemRoles"
import * as LineTriage from "@rollout/reduce/LineTriage"
import * as PersistenceFilter from "@rollout/reduce/PersistenceFilter"
import { describe, expect, it } from "vitest"

const sorted = (tags: Iterable<string>) => [...tags].sort()

describe("EventRoles", () => {
  it("given the EventMsg schema, then the table has one row per tag the decoder knows, no more", () => {
    expect(sorted(Object.keys(EventRoles.table))).toEqual(sorted(EventMsg.EventMsg.tags))
  })

  it("given the ResponseItem schema, then the item table has one row per tag the decoder knows, no more", () => {
    expect(sorted(Object.keys(ItemRoles.table))).toEqual(sorted(ResponseItem.ResponseItem.tags))
  })

  it("given each event tag, when a raw line is triaged, then it is decoded exactly when history's replay reads it", () => {
    for (const tag of EventMsg.EventMsg.tags) {
      const triage = LineTriage.prefilter({ type: "event_msg", payload: { type: tag } })
      const role = EventRoles.table[tag as EventRoles.Tag].history
      expect([tag, triage === "decode"]).toEqual([tag, role === "replay"])
    }
  })

  it("given each event tag, when the raw persistence check runs, then it agrees with the persisted column", () => {
    for (const tag of EventMsg.EventMsg.tags) {
      const kept = EventRoles.table[tag as EventRoles.Tag].persisted
      expect([tag, PersistenceFilter.isPersistedRaw("event_msg", tag)]).toEqual([tag, kept === true])
    }
  })

  it("given a string that is no tag (including prototype keys), then no set claims it", () => {
    for (const v of ["__proto__", "constructor", "toString", "", 3, null, undefined]) {
      expect(EventRoles.has(EventRoles.where("stats", true), v)).toBe(false)
      expect(PersistenceFilter.isPersistedRaw("event_msg", v)).toBe(false)
      expect(PersistenceFilter.isPersistedRaw("response_item", v)).toBe(false)
    }
  })
})

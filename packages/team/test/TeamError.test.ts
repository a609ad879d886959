import { describe, expect, it } from "vitest"
import * as TeamError from "@rollout/team/TeamError"

describe("TeamError", () => {
  it("given a URL with a password, then what is shown keeps user, host, port and database and never the password", () => {
    const t = TeamError.target("postgres://ana:s%40cret-pw@db.internal:6543/rollout") as TeamError.Target
    expect(t.shown).toBe("postgres://ana@db.internal:6543/rollout")
    const e = TeamError.from(t)(Object.assign(new Error("boom s@cret-pw and postgres://ana:s%40cret-pw@db.internal:6543/rollout"), { code: "XX000" }))
    expect(e.reason).toBe("failed")
    expect(e.message).not.toMatch(/s@cret|s%40cret/)
    expect(e.message).toContain("postgres://ana@db.internal:6543/rollout")
  })

  it("given what is not a PostgreSQL URL, then it is a bad_url error that does not echo it", () => {
    for (const url of ["not a url", "mysql://u:hunter2@h/d", "postgres:///only-a-path"]) {
      const e = TeamError.target(url)
      expect(e).toBeInstanceOf(TeamError.TeamError)
      expect((e as TeamError.TeamError).reason).toBe("bad_url")
      expect((e as TeamError.TeamError).message).not.toContain("hunter2")
    }
  })

  it("given driver errors, then refusals and unreachable hosts are connection failures and the rest are failures", () => {
    const t = TeamError.target("postgres://u@h/d") as TeamError.Target
    expect(TeamError.from(t)(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })).reason).toBe("unreachable")
    expect(TeamError.from(t)(Object.assign(new Error('password authentication failed for user "u"'), { code: "28P01" })).reason).toBe("unreachable")
    expect(TeamError.from(t)(Object.assign(new Error("relation does not exist"), { code: "42P01" })).reason).toBe("failed")
  })
})

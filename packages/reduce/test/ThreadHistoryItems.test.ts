import { describe, expect, it } from "vitest"
import * as Items from "../src/internal/ThreadHistoryItems.js"

describe("ThreadHistoryItems.errorInfo", () => {
  it("given core error infos, then v2's closed enum answers as Codex 0.171 does (unknown and the legacy budget name are other)", () => {
    const cases: ReadonlyArray<readonly [unknown, unknown]> = [
      ["session_budget_exceeded", "sessionBudgetExceeded"],
      ["rollout_budget_exceeded", "other"],
      ["invalid_prompt", "other"],
      ["bio_policy", "bioPolicy"],
      [{ http_connection_failed: { http_status_code: 502 } }, { httpConnectionFailed: { httpStatusCode: 502 } }],
      [{ active_turn_not_steerable: { turn_kind: "review" } }, { activeTurnNotSteerable: { turnKind: "review" } }],
      [{ something_new: {} }, "other"],
      [null, null]
    ]
    for (const [core, v2] of cases) expect([core, Items.errorInfo(core as never)]).toEqual([core, v2])
  })
})

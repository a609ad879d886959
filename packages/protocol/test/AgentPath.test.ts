import { Result, Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as AgentPath from "@rollout/protocol/AgentPath"

const decode = Schema.decodeUnknownResult(AgentPath.AgentPath)

const name = fc.stringMatching(/^[a-z0-9_]{1,12}$/).filter((n) => n !== "root")

describe("AgentPath", () => {
  it("accepts the root, nested sub-agents and /morpheus", () => {
    // given paths Codex writes
    const paths = ["/root", "/root/reviewer", "/root/worker_1/explorer", "/morpheus"]
    // when / then each decodes
    for (const path of paths) expect(Result.isSuccess(decode(path)), path).toBe(true)
  })

  it.each([
    ["a trailing slash", "/root/reviewer/"],
    ["an empty name", "/root//reviewer"],
    ["a name `root`", "/root/root"],
    ["a dot name", "/root/."],
    ["a dot-dot name", "/root/.."],
    ["an upper-case name", "/root/Reviewer"],
    ["a hyphen", "/root/code-reviewer"],
    ["a relative path", "root/reviewer"],
    ["another top-level agent", "/reviewer"],
    ["a path below /morpheus", "/morpheus/x"],
    ["the empty string", ""]
  ])("rejects %s", (_, path) => {
    expect(Result.isFailure(decode(path))).toBe(true)
  })

  it("accepts every well-formed path and rejects it with a trailing slash", () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 4 }), (names) => {
        const path = ["/root", ...names].join("/")
        expect(AgentPath.isAgentPath(path)).toBe(true)
        expect(AgentPath.names(path)).toEqual(names)
        expect(AgentPath.isAgentPath(`${path}/`)).toBe(false)
      })
    )
  })
})

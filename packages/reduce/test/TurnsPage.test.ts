import { existsSync, readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Ajv } from "ajv"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type * as ThreadItem from "@rollout/protocol/ThreadItem"
import * as ThreadRead from "@rollout/reduce/ThreadRead"
import * as TurnsPage from "@rollout/reduce/TurnsPage"
import { readLines } from "./support/Lines.js"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const oracle = join(root, "fixtures/oracle")

const json = (c: string, file: string) => JSON.parse(readFileSync(join(oracle, c, file), "utf8"))

/** Codex's own thread/read turns and how the case's thread is anchored. */
const given = (c: string) => {
  const lines = readLines(join(oracle, c, "input.jsonl"))
  // An exec fork's earlier turns come from its parent (history_base).
  const start = c === "exec-fork" ? ThreadRead.inherit(ThreadRead.fold(readLines(join(oracle, "exec-tools-resumed", "input.jsonl")))) : ThreadRead.empty
  const state = ThreadRead.fold(lines, start)
  const thread = json(c, "thread-read.json").thread
  return { turns: thread.turns as ReadonlyArray<ThreadItem.Turn>, anchors: ThreadRead.anchors(state), threadId: thread.id as string }
}

const cases = readdirSync(oracle).filter((c) => existsSync(join(oracle, c, "turns-list.json")))
const paged = cases.filter((c) => existsSync(join(oracle, c, "turns-pages.json")))

describe("TurnsPage against Codex 0.169's thread/turns/list", () => {
  it.each(cases)("%s: full items, ascending, limit 100", (c) => {
    const { turns, anchors, threadId } = given(c)
    const result = TurnsPage.page(turns, { itemsView: "full", sortDirection: "asc", limit: 100 }, anchors, threadId)
    expect(result._tag).toBe("Page")
    if (result._tag === "Page") expect(JSON.stringify(result.page)).toBe(JSON.stringify(json(c, "turns-list.json")))
  })

  it.each(paged)("%s: every recorded parameter set, cursor and error", (c) => {
    const { turns, anchors, threadId } = given(c)
    const exchanges = json(c, "turns-pages.json") as ReadonlyArray<{ params: TurnsPage.Params; result?: unknown; error?: { message: string } }>
    expect(exchanges.length).toBeGreaterThan(8)
    for (const exchange of exchanges) {
      const result = TurnsPage.page(turns, exchange.params, anchors, threadId)
      if (exchange.error !== undefined) expect(result, JSON.stringify(exchange.params)).toEqual({ _tag: "InvalidCursor", message: exchange.error.message })
      else expect(result._tag === "Page" ? JSON.stringify(result.page) : result.message, JSON.stringify(exchange.params)).toBe(JSON.stringify(exchange.result))
    }
  })

  it("pages validate against Codex's ThreadTurnsListResponse schema", () => {
    const schema = JSON.parse(readFileSync(join(root, "fixtures/codex-schema/ThreadTurnsListResponse.json"), "utf8"))
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema)
    for (const c of cases) {
      const { turns, anchors, threadId } = given(c)
      for (const itemsView of ["full", "summary", "notLoaded"] as const) {
        const result = TurnsPage.page(turns, { itemsView, limit: 2 }, anchors, threadId)
        if (result._tag !== "Page") throw new Error(result.message)
        expect(validate(result.page), JSON.stringify(validate.errors)).toBe(true)
      }
    }
  })
})

const turn = (id: string, items: ReadonlyArray<Partial<ThreadItem.ThreadItem> & { type: string; id: string }> = []): ThreadItem.Turn =>
  ({
    id,
    rootTurnId: null,
    items,
    itemsView: "full",
    status: "completed",
    error: null,
    startedAt: null,
    completedAt: null,
    durationMs: null
  }) as unknown as ThreadItem.Turn

describe("TurnsPage rules", () => {
  it("given no parameters, then 25 turns, newest first, summary items", () => {
    const turns = Array.from({ length: 30 }, (_, i) => turn(`t${i}`))
    const result = TurnsPage.page(turns)
    if (result._tag !== "Page") throw new Error(result.message)
    expect(result.page.data.map((t) => t.id)).toEqual(Array.from({ length: 25 }, (_, i) => `t${29 - i}`))
    expect(result.page.data.every((t) => t.itemsView === "summary")).toBe(true)
    expect(result.page.nextCursor).toBe('{"turnId":"t5","includeAnchor":false}')
    expect(result.page.backwardsCursor).toBe('{"turnId":"t29","includeAnchor":true}')
  })

  it("given an empty thread, then an empty page whatever the cursor", () => {
    expect(TurnsPage.page([], { cursor: "garbage" })).toEqual({ _tag: "Page", page: { data: [], nextCursor: null, backwardsCursor: null } })
  })

  it("given summary, then the first user message and the last agent message of any phase (legacy)", () => {
    const t = turn("t", [
      { type: "agentMessage", id: "a0" },
      { type: "userMessage", id: "u1" },
      { type: "reasoning", id: "r" },
      { type: "userMessage", id: "u2" },
      { type: "agentMessage", id: "a1", phase: "final_answer" },
      { type: "agentMessage", id: "a2", phase: "commentary" }
    ])
    expect(TurnsPage.withItemsView(t, "summary").items.map((i) => i.id)).toEqual(["u1", "a2"])
    expect(TurnsPage.withItemsView(t, "summary", true).items.map((i) => i.id)).toEqual(["u1", "a1"])
    expect(TurnsPage.withItemsView(turn("x", [{ type: "reasoning", id: "r" }]), "summary").items).toEqual([])
    expect(TurnsPage.withItemsView(t, "notLoaded")).toMatchObject({ items: [], itemsView: "notLoaded" })
  })

  it("walking nextCursor visits every turn once, in both directions and for any page size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -2, max: 15 }), fc.boolean(), (n, limit, asc) => {
        const turns = Array.from({ length: n }, (_, i) => turn(`t${i}`))
        const seen: Array<string> = []
        let cursor: string | null = null
        for (let pages = 0; pages <= n + 1; pages++) {
          const result = TurnsPage.page(turns, { limit, cursor, sortDirection: asc ? "asc" : "desc", itemsView: "notLoaded" })
          if (result._tag !== "Page") throw new Error(result.message)
          seen.push(...result.page.data.map((t) => t.id))
          expect(result.page.data.length).toBeLessThanOrEqual(TurnsPage.pageSize(limit))
          cursor = result.page.nextCursor
          if (cursor === null) break
        }
        const ids = turns.map((t) => t.id)
        expect(seen).toEqual(asc ? ids : ids.reverse())
      })
    )
  })
})

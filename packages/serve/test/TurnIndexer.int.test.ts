// Generated legacy rollouts where later lines reach back: completions and aborts of earlier turns,
// outputs for calls made turns before, rollbacks, compactions and token counts between turns. The
// law: pages rebuilt from the turn index are the whole-file read's turns, or the index declines
// the file (`Unindexable`) and the server reads it whole; and an index extended after the file grew
// equals one built from scratch.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as fc from "fast-check"
import * as TranscriptRead from "@rollout/query/TranscriptRead"
import * as WorkedTurns from "@rollout/view/WorkedTurns"
import { afterAll, describe, expect, it } from "vitest"
import * as TurnIndexer from "../src/internal/TurnIndexer.js"
import * as TurnPages from "../src/internal/TurnPages.js"
import * as WebTranscript from "../src/internal/WebTranscript.js"

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "turn-indexer-"))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const TS = "2026-07-14T07:06:00.000Z"
const META = {
  timestamp: TS,
  type: "session_meta",
  payload: {
    session_id: "0198f2a4-5b6c-7d8e-9f00-00000000a001",
    id: "0198f2a4-5b6c-7d8e-9f00-00000000a001",
    timestamp: TS,
    cwd: "/tmp/gen",
    originator: "codex_cli_rs",
    cli_version: "0.169.0",
    source: "cli",
    model_provider: "openai",
    base_instructions: { text: "You are Codex." },
    history_mode: "legacy"
  }
}
const ev = (payload: object) => ({ timestamp: TS, type: "event_msg", payload })
const item = (payload: object) => ({ timestamp: TS, type: "response_item", payload })
const usage = (n: number) => ({ input_tokens: n, cached_input_tokens: 0, output_tokens: 1, reasoning_output_tokens: 0, total_tokens: n + 1 })

/** One step of a generated session; numbers pick earlier turns and calls (modulo how many there are). */
type Op =
  | { readonly k: "turn"; readonly text: string }
  | { readonly k: "implicit"; readonly text: string }
  | { readonly k: "agent"; readonly text: string }
  | { readonly k: "reason"; readonly text: string }
  | { readonly k: "call" }
  | { readonly k: "output"; readonly back: number }
  | { readonly k: "exec"; readonly back: number }
  | { readonly k: "complete"; readonly back: number }
  | { readonly k: "abort"; readonly back: number }
  | { readonly k: "tokens"; readonly add: number }
  | { readonly k: "rollback"; readonly n: number }
  | { readonly k: "compact" }
  | { readonly k: "context"; readonly model: string }

const text = fc.constantFrom("fix it", "and then?", "**done**", "look at `x`")
const back = fc.nat(4)
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ k: "turn" as const, text: t })) },
  { weight: 1, arbitrary: text.map((t) => ({ k: "implicit" as const, text: t })) },
  { weight: 3, arbitrary: text.map((t) => ({ k: "agent" as const, text: t })) },
  { weight: 1, arbitrary: text.map((t) => ({ k: "reason" as const, text: t })) },
  { weight: 3, arbitrary: fc.constant({ k: "call" as const }) },
  { weight: 2, arbitrary: back.map((b) => ({ k: "output" as const, back: b })) },
  { weight: 1, arbitrary: back.map((b) => ({ k: "exec" as const, back: b })) },
  { weight: 3, arbitrary: back.map((b) => ({ k: "complete" as const, back: b })) },
  { weight: 1, arbitrary: back.map((b) => ({ k: "abort" as const, back: b })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 500 }).map((add) => ({ k: "tokens" as const, add })) },
  { weight: 1, arbitrary: fc.nat(3).map((n) => ({ k: "rollback" as const, n })) },
  { weight: 1, arbitrary: fc.constant({ k: "compact" as const }) },
  { weight: 1, arbitrary: fc.constantFrom("gpt-5.5", "gpt-5.4-mini").map((model) => ({ k: "context" as const, model })) }
)

/** The rollout's lines for `ops`. */
const lines = (ops: ReadonlyArray<Op>): Array<object> => {
  const out: Array<object> = [META]
  const turns: Array<string> = []
  const calls: Array<string> = []
  let total = 0
  const pick = <A>(xs: ReadonlyArray<A>, b: number): A | undefined => xs[xs.length - 1 - (b % Math.max(1, xs.length))]
  for (const o of ops) {
    switch (o.k) {
      case "turn": {
        const id = `0198f2a5-0000-7000-8000-${String(turns.length + 1).padStart(12, "0")}`
        turns.push(id)
        out.push(ev({ type: "task_started", turn_id: id, model_context_window: null, collaboration_mode_kind: "default" }))
        out.push(item({ type: "message", role: "user", content: [{ type: "input_text", text: o.text }] }))
        out.push(ev({ type: "user_message", message: o.text, images: [], local_images: [], text_elements: [] }))
        break
      }
      case "implicit":
        out.push(ev({ type: "user_message", message: o.text, images: [], local_images: [], text_elements: [] }))
        break
      case "agent":
        out.push(ev({ type: "agent_message", message: o.text }))
        break
      case "reason":
        out.push(ev({ type: "agent_reasoning", text: o.text }))
        break
      case "call": {
        const id = `call_${calls.length}`
        calls.push(id)
        out.push(item({ type: "function_call", name: "exec_command", arguments: '{"cmd":"ls"}', call_id: id }))
        break
      }
      case "output": {
        const id = pick(calls, o.back)
        if (id !== undefined) out.push(item({ type: "function_call_output", call_id: id, output: `out of ${id}` }))
        break
      }
      case "exec": {
        const id = pick(calls, o.back)
        if (id !== undefined)
          out.push(
            ev({
              type: "exec_command_end",
              call_id: id,
              command: ["ls"],
              cwd: "/tmp/gen",
              parsed_cmd: [],
              stdout: "",
              stderr: "",
              aggregated_output: "a\n",
              exit_code: 1,
              duration: { secs: 0, nanos: 5000000 },
              formatted_output: "",
              status: "completed"
            })
          )
        break
      }
      case "complete": {
        const id = pick(turns, o.back)
        if (id !== undefined) out.push(ev({ type: "task_complete", turn_id: id, last_agent_message: null }))
        break
      }
      case "abort": {
        const id = pick(turns, o.back)
        if (id !== undefined) out.push(ev({ type: "turn_aborted", turn_id: id, reason: "interrupted" }))
        break
      }
      case "tokens":
        total += o.add
        out.push(
          ev({ type: "token_count", info: { total_token_usage: usage(total), last_token_usage: usage(o.add), model_context_window: 1000 }, rate_limits: null })
        )
        break
      case "rollback":
        out.push(ev({ type: "thread_rolled_back", num_turns: o.n }))
        break
      case "compact":
        out.push(ev({ type: "context_compacted" }))
        break
      case "context":
        out.push({
          timestamp: TS,
          type: "turn_context",
          payload: { cwd: "/tmp/gen", approval_policy: "never", sandbox_policy: { type: "danger-full-access" }, model: o.model, summary: "auto" }
        })
        break
      default: {
        const unreachable: never = o
        return unreachable
      }
    }
  }
  return out
}

const fileOf = (p: string) => {
  const s = fs.statSync(p)
  return { path: p, head: "test", size: s.size, mtimeMs: s.mtimeMs }
}

let n = 0
const write = (ls: ReadonlyArray<object>): string => {
  const p = path.join(scratch, `gen-${n++}.jsonl`)
  fs.writeFileSync(p, ls.map((l) => `${JSON.stringify(l)}\n`).join(""))
  return p
}

const whole = async (p: string) => {
  const read = await WebTranscript.runRead(TranscriptRead.read(p, scratch), () => {})
  return WorkedTurns.turns(read)
}

const pages = async (index: Awaited<ReturnType<typeof TurnIndexer.build>>, size: number) => {
  const out: Array<WorkedTurns.TurnView> = []
  for (let from = 0; from < index.turns.length; from += size) out.push(...(await TurnPages.views(TurnPages.inMemory(index), from, size)))
  return out
}

const declined = { count: 0, indexed: 0 }

describe("TurnIndexer", () => {
  it("rebuilds pages of generated sessions whose lines reach back, as the whole-file read does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 64 }),
        async (ops, size, keep) => {
          const p = write(lines(ops))
          const expected = await whole(p)
          let index: Awaited<ReturnType<typeof TurnIndexer.build>>
          try {
            index = await TurnIndexer.build(fileOf(p), { keep })
          } catch (e) {
            if (!(e instanceof TurnIndexer.Unindexable)) throw e
            declined.count++
            return
          }
          declined.indexed++
          expect(await pages(index, size)).toEqual(expected)
        }
      ),
      { numRuns: 150 }
    )
    // Declining is the exception, not the way out.
    expect(declined.indexed).toBeGreaterThan(declined.count * 4)
  }, 120_000)

  it("extends an index over appended lines to the index built from scratch", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.array(op, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        async (a, b, back) => {
          const tuning = { keep: back + 1, back }
          const all = lines([...a, ...b])
          const cut = lines(a).length
          const p = write(all.slice(0, cut))
          let before: Awaited<ReturnType<typeof TurnIndexer.build>>
          try {
            before = await TurnIndexer.build(fileOf(p), tuning)
          } catch {
            return
          }
          fs.writeFileSync(p, all.map((l) => `${JSON.stringify(l)}\n`).join(""))
          const fresh = await TurnIndexer.build(fileOf(p), tuning).catch(() => undefined)
          const grown = await TurnIndexer.extend(before, fileOf(p), tuning).catch(() => undefined)
          if (fresh === undefined) return expect(grown).toBeUndefined()
          expect(grown?.index.turns).toEqual(fresh.turns)
          expect(grown?.index.touches).toEqual(fresh.touches)
          expect(await pages(grown?.index ?? fresh, 3)).toEqual(await whole(p))
        }
      ),
      { numRuns: 100 }
    )
  }, 120_000)
})

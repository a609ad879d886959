/**
 * Records `fixtures/oracle/<case>/turns-pages.json`: what the real Codex app-server answers to
 * `thread/turns/list` for parameter sets beyond the one `RecordSamples` asks (defaults, limit 1
 * pages followed by their cursors in both directions, backwards cursors, every items view, limits
 * out of range, bad cursors). It asks a fresh app-server on a copy of the sample home `rollouts/`
 * (timestamps kept), so it records nothing new and needs no model: legacy threads are replayed
 * from their files; paginated threads are resumed once first, which builds Codex's projection.
 * Run it through `node scripts/record-samples.mjs --turns-pages`; it is a procedure, not a test.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { AppServerError } from "./AppServer.js"
import * as Codex from "./Codex.js"

export interface Options {
  readonly repoRoot: string
  readonly recordRoot: string
  readonly log?: (line: string) => void
}

/** One question and Codex's answer: a `result`, or an `error` with its JSON-RPC code and message. */
export interface Exchange {
  readonly params: Record<string, unknown>
  readonly result?: unknown
  readonly error?: { readonly code: number | undefined; readonly message: string }
}

interface Page {
  readonly data: ReadonlyArray<{ readonly id: string }>
  readonly nextCursor: string | null
  readonly backwardsCursor: string | null
}

export const record = async (options: Options): Promise<ReadonlyArray<string>> => {
  const log = options.log ?? (() => {})
  // No model is ever called: the provider only has to parse.
  const home = Codex.createHome({ baseUrl: "http://127.0.0.1:9/v1", root: options.recordRoot })
  const rollouts = Path.join(options.repoRoot, "rollouts")
  Fs.cpSync(Path.join(rollouts, "sessions"), home.sessionsDir, { recursive: true, preserveTimestamps: true })
  const index = Path.join(rollouts, "session_index.jsonl")
  if (Fs.existsSync(index)) Fs.cpSync(index, Path.join(home.home, "session_index.jsonl"), { preserveTimestamps: true })

  const oracle = Path.join(options.repoRoot, "fixtures", "oracle")
  const cases = Fs.readdirSync(oracle)
    .filter((c) => Fs.existsSync(Path.join(oracle, c, "input.jsonl")))
    .sort()
  const app = await Codex.appServer(home)
  try {
    for (const name of cases) {
      const first = Fs.readFileSync(Path.join(oracle, name, "input.jsonl"), "utf8").split("\n")[0] ?? ""
      const meta = JSON.parse(first).payload
      const threadId: string = meta.id
      // A resumed exec fork's projection holds only the fork's own turns (its parent's stay in the
      // parent's projection), unlike the home it was recorded on: its answers would mislead.
      if (meta.history_base !== undefined) continue
      if (meta.history_mode === "paginated") await app.request("thread/resume", { threadId })
      const exchanges: Array<Exchange> = []
      const ask = async (params: Record<string, unknown>): Promise<Page | undefined> => {
        try {
          const result = await app.request<Page>("thread/turns/list", { threadId, ...params })
          exchanges.push({ params, result })
          return result
        } catch (error) {
          if (!(error instanceof AppServerError)) throw error
          exchanges.push({ params, error: { code: error.code, message: error.message.replace(/^thread\/turns\/list: /, "").split("\n")[0] ?? "" } })
          return undefined
        }
      }
      // Follows nextCursor from a first page until the last one (at most 12 pages).
      const walk = async (params: Record<string, unknown>) => {
        const pages: Array<Page> = []
        let page = await ask(params)
        while (page !== undefined) {
          pages.push(page)
          if (page.nextCursor === null || pages.length >= 12) break
          page = await ask({ ...params, cursor: page.nextCursor })
        }
        return pages
      }
      await ask({})
      const asc = await walk({ limit: 1, sortDirection: "asc", itemsView: "notLoaded" })
      const desc = await walk({ limit: 1, sortDirection: "desc", itemsView: "summary" })
      await walk({ limit: 2, sortDirection: "asc", itemsView: "full" })
      // A backwards cursor read in the opposite direction: the pages before it, anchor included.
      const second = asc[1]
      if (second?.backwardsCursor) await ask({ limit: 5, sortDirection: "desc", itemsView: "summary", cursor: second.backwardsCursor })
      const newest = desc[0]
      if (newest?.backwardsCursor) await ask({ limit: 5, sortDirection: "asc", itemsView: "notLoaded", cursor: newest.backwardsCursor })
      await ask({ limit: 0, sortDirection: "asc" })
      await ask({ limit: 1000, itemsView: "full" })
      const anyTurn = asc[0]?.data[0]?.id
      if (anyTurn !== undefined) await ask({ cursor: JSON.stringify({ turnId: anyTurn }) })
      await ask({ cursor: "not a cursor" })
      await ask({ cursor: JSON.stringify({ turnId: "no-such-turn", includeAnchor: true }) })
      Fs.writeFileSync(Path.join(oracle, name, "turns-pages.json"), `${JSON.stringify(exchanges, null, 2)}\n`)
      log(`  ${name}: ${exchanges.length} exchanges`)
    }
  } finally {
    await app.close()
  }
  return cases
}

/**
 * Records `fixtures/history/<case>/expected.json` with the real Codex app-server: each case's
 * `input.jsonl` (a legacy rollout written from the spec) is copied into a throw-away Codex home,
 * and a fresh app-server answers `thread/read {includeTurns: true}` from the file alone. Cases
 * listed in `fixtures/history/README.md` as hand-written (live-only events Codex never replays from
 * a file) are skipped. Run it through `node scripts/record-samples.mjs --history-fixtures`; it is a
 * procedure, not a test. `thread.path` and `thread.updatedAt` depend on the recording home.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Codex from "./Codex.js"

export interface Options {
  readonly repoRoot: string
  readonly recordRoot: string
  readonly log?: (line: string) => void
}

/** Cases whose expected answer is written from the spec, not asked of Codex. */
export const handWritten: ReadonlySet<string> = new Set(["live-only-events"])

export const record = async (options: Options): Promise<ReadonlyArray<string>> => {
  const log = options.log ?? (() => {})
  const fixtures = Path.join(options.repoRoot, "fixtures", "history")
  const cases = Fs.readdirSync(fixtures)
    .filter((c) => Fs.existsSync(Path.join(fixtures, c, "input.jsonl")) && !handWritten.has(c))
    .sort()
  const home = Codex.createHome({ baseUrl: "http://127.0.0.1:9/v1", root: options.recordRoot })
  const threads = new Map<string, string>()
  for (const c of cases) {
    const input = Path.join(fixtures, c, "input.jsonl")
    const meta = JSON.parse(Fs.readFileSync(input, "utf8").split("\n")[0] ?? "").payload
    const day = Path.join(home.sessionsDir, "2026", "07", "14")
    Fs.mkdirSync(day, { recursive: true })
    Fs.copyFileSync(input, Path.join(day, `rollout-2026-07-14T07-06-00-${meta.id}.jsonl`))
    threads.set(c, meta.id)
  }
  const app = await Codex.appServer(home)
  try {
    for (const c of cases) {
      const read = await app.request("thread/read", { threadId: threads.get(c), includeTurns: true })
      Fs.writeFileSync(Path.join(fixtures, c, "expected.json"), `${JSON.stringify(read, null, 2)}\n`)
      log(`  ${c}: ${(read as { thread: { turns: ReadonlyArray<unknown> } }).thread.turns.length} turns`)
    }
  } finally {
    await app.close()
  }
  return cases
}

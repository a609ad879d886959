/**
 * Records `fixtures/codex-tests/{thread-history,paginated-history}/<case>/expected.json` with the
 * real Codex app-server: each case restates one of Codex's own unit tests as a rollout
 * (`fixtures/codex-tests/README.md` names the test), and a fresh app-server answers
 * `thread/read {includeTurns: true}` from the file alone, so the expectation is the binary's, not
 * ours. Run it through `node scripts/record-samples.mjs --codex-tests [--codex-bin PATH]`; it is a
 * procedure, not a test. The resume and fork cases are written from the unit tests' assertions.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Codex from "./Codex.js"

export interface Options {
  readonly repoRoot: string
  readonly recordRoot: string
  readonly log?: (line: string) => void
}

/** The areas whose expectations the app-server gives. */
export const recordedAreas: ReadonlyArray<string> = ["thread-history", "paginated-history"]

export const record = async (options: Options): Promise<ReadonlyArray<string>> => {
  const log = options.log ?? (() => {})
  const home = Codex.createHome({ baseUrl: "http://127.0.0.1:9/v1", root: options.recordRoot })
  const cases: Array<{ readonly dir: string; readonly name: string; readonly threadId: string }> = []
  for (const area of recordedAreas) {
    const root = Path.join(options.repoRoot, "fixtures", "codex-tests", area)
    for (const c of Fs.readdirSync(root)
      .filter((c) => Fs.existsSync(Path.join(root, c, "input.jsonl")))
      .sort()) {
      const input = Path.join(root, c, "input.jsonl")
      const meta = JSON.parse(Fs.readFileSync(input, "utf8").split("\n")[0] ?? "").payload
      const day = Path.join(home.sessionsDir, "2026", "07", "14")
      Fs.mkdirSync(day, { recursive: true })
      Fs.copyFileSync(input, Path.join(day, `rollout-2026-07-14T07-06-00-${meta.id}.jsonl`))
      cases.push({ dir: Path.join(root, c), name: `${area}/${c}`, threadId: meta.id })
    }
  }
  const app = await Codex.appServer(home)
  try {
    for (const c of cases) {
      // A paginated thread is served from Codex's SQLite projection, which a copied file only
      // enters when the thread is resumed (loaded); the answer is then an idle thread's.
      if (c.name.startsWith("paginated-history/")) await app.request("thread/resume", { threadId: c.threadId })
      const read = await app.request("thread/read", { threadId: c.threadId, includeTurns: true })
      Fs.writeFileSync(Path.join(c.dir, "expected.json"), `${JSON.stringify(read, null, 2)}\n`)
      log(`  ${c.name}: ${(read as { thread: { turns: ReadonlyArray<unknown> } }).thread.turns.length} turns`)
    }
  } finally {
    await app.close()
  }
  return cases.map((c) => c.name)
}

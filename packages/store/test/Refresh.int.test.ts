// Model-based test of the index (fc.commands): random sequences of create / append (with torn and
// unterminated last lines) / fork / rewrite / rename / archive / unarchive / delete / crash-mid-refresh / refresh
// on a real Codex home keep the index equal to a projection computed from the files alone, and
// to what the model knows it wrote.
import * as fs from "node:fs"
import * as path from "node:path"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as RefreshModule from "@rollout/store/Refresh"
import * as Store from "@rollout/store/Store"
import * as Home from "./support/Home.js"
import * as Projection from "./support/Projection.js"

interface Thread {
  readonly n: number
  readonly id: string
  readonly createdMs: number
  archived: boolean
  deleted: boolean
  turns: number
  /** Prompts of complete turns, in order. */
  prompts: Array<string>
  /** Text written without its end: a torn line (not JSON yet) or a whole line without its LF. */
  pending: { readonly rest: string; readonly prompt: string; readonly userIndexed: boolean } | null
}

interface Model {
  readonly threads: Map<number, Thread>
  readonly names: Map<string, string>
  clock: number
  next: number
}

interface Real {
  readonly home: string
  readonly store: Store.Store
}

class Crash extends Error {}

const pathOf = (r: Real, t: Thread) => Home.rolloutPath(r.home, t.id, t.createdMs, t.archived)

/**
 * The kernel stamps a folder with the current time when a file in it is created, removed or renamed;
 * the index distrusts very recent folder times. Stamping changed folders with distinct instants an
 * hour ago makes the folder-time shortcut (HomeListing.changedDirs) take effect in this test.
 */
let dirClock = Date.now() - 3_600_000
const stampDirs = (...files: ReadonlyArray<string>) => {
  for (const f of files) {
    dirClock += 1000
    for (let d = path.dirname(f), i = 0; i < 4 && fs.existsSync(d); d = path.dirname(d), i++) fs.utimesSync(d, dirClock / 1000, dirClock / 1000)
  }
}
const live = (m: Model) => [...m.threads.values()].filter((t) => !t.deleted)
const pick = <A>(xs: ReadonlyArray<A>, i: number): A | undefined => (xs.length === 0 ? undefined : xs[i % xs.length])

const words = fc.constantFrom("alpha", "beta", "gamma", "delta", "kappa", "sigma", "omega")
const prompt = fc.array(words, { minLength: 1, maxLength: 4 }).map((w) => w.join(" "))

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly sameInstant: boolean,
    readonly cwd: string,
    readonly first: string
  ) {}
  check = () => true
  async run(m: Model, r: Real) {
    // Threads created in the same millisecond exercise the cursor bump.
    if (!this.sameInstant) m.clock += 7
    const n = m.next++
    const t: Thread = { n, id: Home.uuid(n), createdMs: m.clock, archived: false, deleted: false, turns: 1, prompts: [this.first], pending: null }
    m.threads.set(n, t)
    Home.write(
      pathOf(r, t),
      [Home.sessionMeta(t.id, t.createdMs, { cwd: this.cwd }), ...Home.turn(`turn-${n}-1`, m.clock, this.first, `answer ${this.first}`)],
      m.clock
    )
    stampDirs(pathOf(r, t))
  }
  toString = () => `create(${this.sameInstant ? "same ms" : "+7ms"}, ${this.cwd}, ${this.first})`
}

class Append implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly which: number,
    readonly text: string,
    readonly tool: boolean,
    /** 0: complete; 1: line `at` torn in half; 2: line `at` whole but without its LF (and nothing after). */
    readonly ending: 0 | 1 | 2,
    readonly at: number,
    readonly tick: number
  ) {}
  check = (m: Readonly<Model>) => live(m).length > 0
  async run(m: Model, r: Real) {
    const t = pick(live(m), this.which)
    if (t === undefined) return
    m.clock += this.tick
    let text = ""
    if (t.pending !== null) {
      text += t.pending.rest
      t.prompts.push(t.pending.prompt)
      t.pending = null
    }
    t.turns++
    const lines = Home.turn(
      `turn-${t.n}-${t.turns}`,
      m.clock,
      this.text,
      `answer ${this.text}`,
      this.tool ? { cmd: `grep ${this.text}`, output: `found ${this.text}` } : undefined
    )
    const all = lines.map((l) => `${l}\n`).join("")
    if (this.ending === 0) {
      text += all
      t.prompts.push(this.text)
    } else {
      const at = this.at % lines.length
      const before = lines
        .slice(0, at)
        .map((l) => `${l}\n`)
        .join("")
      const line = `${lines[at]}\n`
      const cut = this.ending === 1 ? Math.floor(line.length / 2) : line.length - 1
      text += before + line.slice(0, cut)
      // The user message (line 3) is indexed once its line is complete JSON.
      t.pending = { rest: all.slice(before.length + cut), prompt: this.text, userIndexed: at > 3 || (at === 3 && this.ending === 2) }
    }
    Home.append(pathOf(r, t), text, m.clock)
  }
  toString = () => `append(${this.which}, ${this.text}, tool=${this.tool}, ending=${this.ending}@${this.at})`
}

class Archive implements fc.AsyncCommand<Model, Real> {
  constructor(readonly which: number) {}
  check = (m: Readonly<Model>) => live(m).length > 0
  async run(m: Model, r: Real) {
    const t = pick(live(m), this.which)
    if (t === undefined) return
    const before = pathOf(r, t)
    const moved = t.archived ? await r.store.unarchive(t.id) : await r.store.archive(t.id)
    t.archived = !t.archived
    stampDirs(before, pathOf(r, t))
    expect(moved.paths).toEqual([pathOf(r, t)])
    if (!t.archived) Home.append(pathOf(r, t), "", (m.clock += 1)) // keep mtimes ours, not the wall clock's
  }
  toString = () => `archive-toggle(${this.which})`
}

class Delete implements fc.AsyncCommand<Model, Real> {
  constructor(readonly which: number) {}
  check = (m: Readonly<Model>) => live(m).length > 0
  async run(m: Model, r: Real) {
    const t = pick(live(m), this.which)
    if (t === undefined) return
    fs.rmSync(pathOf(r, t))
    stampDirs(pathOf(r, t))
    t.deleted = true
  }
  toString = () => `delete(${this.which})`
}

class Rename implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly which: number,
    readonly name: string
  ) {}
  check = (m: Readonly<Model>) => live(m).length > 0
  async run(m: Model, r: Real) {
    const t = pick(live(m), this.which)
    if (t === undefined) return
    m.names.set(t.id, this.name)
    fs.appendFileSync(
      path.join(r.home, "session_index.jsonl"),
      `${JSON.stringify({ id: t.id, thread_name: this.name, updated_at: new Date(m.clock).toISOString() })}\n`
    )
  }
  toString = () => `rename(${this.which}, ${this.name})`
}

/** The prompts of the complete `user_message` lines among `lines`, in order. */
const promptsOf = (lines: ReadonlyArray<string>): Array<string> =>
  lines.flatMap((l) => {
    const v = JSON.parse(l) as { type?: unknown; payload?: { type?: unknown; message?: unknown } }
    return v.type === "event_msg" && v.payload?.type === "user_message" && typeof v.payload.message === "string" ? [v.payload.message] : []
  })

/** A file's complete lines (up to its last LF). */

/**
 * A legacy fork of a thread: its own `session_meta`, the parent's complete lines with new
 * timestamps (as Codex copies them), then perhaps a turn of its own. A refresh that has just read
 * the parent takes the copy from it (`ForkCopies`); one that has not reads it.
 */
class Fork implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly which: number,
    readonly own: string | null
  ) {}
  check = (m: Readonly<Model>) => live(m).length > 0
  async run(m: Model, r: Real) {
    const parent = pick(live(m), this.which)
    if (parent === undefined) return
    m.clock += 7
    const n = m.next++
    const copied = Home.forkCopy(pathOf(r, parent), m.clock)
    const own = this.own === null ? [] : Home.turn(`turn-${n}-1`, m.clock, this.own, `answer ${this.own}`)
    const t: Thread = {
      n,
      id: Home.uuid(n),
      createdMs: m.clock,
      archived: false,
      deleted: false,
      turns: 1,
      prompts: promptsOf([...copied, ...own]),
      pending: null
    }
    m.threads.set(n, t)
    Home.write(pathOf(r, t), [Home.sessionMeta(t.id, t.createdMs, { cwd: "/a", forkedFromId: parent.id }), ...copied, ...own], m.clock)
    stampDirs(pathOf(r, t))
  }
  toString = () => `fork(${this.which}, ${this.own ?? "no own turn"})`
}

/** A thread's file rewritten shorter: its first turn only (a parent whose forks' copies no longer match). */
class Rewrite implements fc.AsyncCommand<Model, Real> {
  constructor(readonly which: number) {}
  check = (m: Readonly<Model>) => live(m).length > 0
  async run(m: Model, r: Real) {
    const t = pick(live(m), this.which)
    if (t === undefined) return
    const lines = Home.completeLines(pathOf(r, t))
    const end = lines.findIndex((l) => l.includes('"type":"task_complete"'))
    const kept = end < 0 ? lines : lines.slice(0, end + 1)
    if (kept.length === lines.length && t.pending === null) return
    t.prompts = promptsOf(kept)
    t.pending = null
    Home.write(pathOf(r, t), kept, (m.clock += 1))
  }
  toString = () => `rewrite-first-turn(${this.which})`
}

class CrashRefresh implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly atBatch: number,
    readonly stage: "before-commit" | "after-commit",
    /** Small enough to read some files in slices, so that a crash can fall between two slices. */
    readonly batchBytes: number
  ) {}
  check = () => true
  async run(_m: Model, r: Real) {
    await r.store
      .refresh({
        batchFiles: 1,
        batchBytes: this.batchBytes,
        interrupt: (b, s) => {
          if (b === this.atBatch && s === this.stage) throw new Crash()
        }
      })
      .catch((e) => {
        if (!(e instanceof Crash)) throw e
      })
    // The count `rollout index` prints is every stored document, also with their full-text
    // entries still deferred by the build cut short.
    expect(r.store.documentCount()).toBe((r.store.database.prepare("SELECT count(*) AS n FROM docs").get() as { n: number }).n)
  }
  toString = () => `crash-refresh(batch ${this.atBatch}, ${this.stage}, ${this.batchBytes} bytes)`
}

/** `ls` as the CLI runs it (light refresh: changed folders, then the page's own files). */
class LightList implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(m: Model, r: Real) {
    const page = await r.store.list({ limit: 100 })
    const active = live(m)
      .filter((t) => !t.archived)
      .sort((a, b) => b.createdMs - a.createdMs || (a.id < b.id ? 1 : -1))
    expect(page.data.map((t) => [t.id, t.preview, t.path]).sort()).toEqual(active.map((t) => [t.id, t.prompts[0], pathOf(r, t)]).sort())
  }
  toString = () => "ls"
}

/**
 * `ls --sort-key updated_at` as the CLI runs it (changed folders plus AppendCheck's bounded check,
 * which covers every file of a home this small): exactly the files' threads, newest update first.
 */
class UpdatedList implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(m: Model, r: Real) {
    // A short first page, so that re-reading the page's own files cannot hide a stale check: the
    // bounded check covers every file of a home this small, so the whole index is then up to date.
    await r.store.list({ limit: 2, sortKey: "updated_at" })
    const files = await Projection.ofFiles(r.home)
    const indexed = Projection.ofIndex(r.store.database)
    expect(indexed.threads).toEqual(files.threads)
    expect(indexed.docs).toEqual(files.docs)
    RefreshModule.fullTextCheck(r.store.database)
    const expected = files.threads.filter((t) => !t.archived)
    const page = await r.store.list({ limit: 100, sortKey: "updated_at" })
    expect(page.data.map((t) => [t.id, t.preview, t.updatedAt]).sort()).toEqual(expected.map((t) => [t.id, t.preview, Math.floor(t.updatedAtMs / 1000)]).sort())
    const keys = page.data.map((t) => t.updatedAtMs)
    expect(keys).toEqual([...keys].sort((a, b) => b - a))
    expect(page.data.length).toBe(live(m).filter((t) => !t.archived).length)
  }
  toString = () => "ls --sort-key updated_at"
}

class Refresh implements fc.AsyncCommand<Model, Real> {
  /** Bytes per batch: the default, or few enough that files are read in slices. */
  constructor(readonly batchBytes?: number) {}
  check = () => true
  async run(m: Model, r: Real) {
    await r.store.refresh({ batchFiles: 2, ...(this.batchBytes === undefined ? {} : { batchBytes: this.batchBytes }) })
    if (process.env["DEBUG_MODEL"])
      console.log(
        "check",
        live(m).length,
        live(m).map((t) => t.pending?.userIndexed)
      )
    const db = r.store.database
    const expected = await Projection.ofFiles(r.home)
    const actual = Projection.ofIndex(db)
    expect(actual.threads).toEqual(expected.threads)
    expect(actual.docs).toEqual(expected.docs)
    // The full-text index matches the documents (throws SQLITE_CORRUPT_VTAB otherwise), also after
    // a first build cut short while its full-text entries were deferred.
    RefreshModule.fullTextCheck(db)
    expect(db.prepare("SELECT count(*) AS n FROM fts_deferred").get()).toEqual({ n: 0 })
    expect(r.store.documentCount()).toBe(actual.docs.length)
    expect(Projection.cursorProblems(db)).toEqual([])
    // What the model wrote: the live threads, their archive state and first prompt.
    const threads = live(m).sort((a, b) => (a.id < b.id ? -1 : 1))
    expect(actual.threads.map((t) => [t.id, t.archived, t.preview])).toEqual(threads.map((t) => [t.id, t.archived, t.prompts[0]]))
    // Documents: one user message per turn whose user_message line is complete JSON.
    const userDocs = db.prepare("SELECT count(*) AS n FROM docs WHERE kind = 'user'").get() as { n: number }
    const modelUser = threads.reduce((n, t) => n + t.prompts.length + (t.pending?.userIndexed === true ? 1 : 0), 0)
    expect(userDocs.n).toBe(modelUser)
    // Names: the last session_index.jsonl entry per id.
    const names = db.prepare("SELECT id, name FROM names ORDER BY id").all()
    expect(names).toEqual([...m.names].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, name]) => ({ id, name })))
    // Paging with small pages, by both keys, sees every active thread exactly once, in order.
    for (const sortKey of ["created_at", "updated_at"] as const) {
      const ids: Array<string> = []
      const keys: Array<number> = []
      let cursor: string | null = null
      do {
        const page: Awaited<ReturnType<Store.Store["list"]>> = await r.store.list({ limit: 3, cursor, sortKey }, false)
        for (const t of page.data) {
          ids.push(t.id)
          keys.push(sortKey === "created_at" ? t.createdAtMs : t.updatedAtMs)
        }
        cursor = page.nextCursor
      } while (cursor !== null)
      expect([...ids].sort()).toEqual(threads.filter((t) => !t.archived).map((t) => t.id))
      expect(keys).toEqual([...keys].sort((a, b) => b - a))
    }
  }
  toString = () => `refresh+check${this.batchBytes === undefined ? "" : ` (${this.batchBytes} bytes a batch)`}`
}

const create = fc.tuple(fc.boolean(), fc.constantFrom("/a", "/b"), prompt).map(([s, c, p]) => new Create(s, c, p))
const append = fc
  .tuple(fc.nat(), prompt, fc.boolean(), fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>, fc.nat(9), fc.nat(3))
  .map(([w, p, tool, e, at, tick]) => new Append(w, p, tool, e, at, tick))
// Creating and appending weigh more: the interesting states need a few threads with history.
const commands = [
  create,
  create,
  append,
  append,
  append,
  fc.nat().map((w) => new Archive(w)),
  fc.nat().map((w) => new Delete(w)),
  fc.tuple(fc.nat(), words).map(([w, n]) => new Rename(w, n)),
  fc.tuple(fc.nat(), fc.option(prompt, { nil: null })).map(([w, p]) => new Fork(w, p)),
  fc.tuple(fc.nat(), fc.option(prompt, { nil: null })).map(([w, p]) => new Fork(w, p)),
  fc.nat().map((w) => new Rewrite(w)),
  fc
    .tuple(fc.nat(4), fc.constantFrom("before-commit" as const, "after-commit" as const), fc.integer({ min: 200, max: 4000 }))
    .map(([b, s, bytes]) => new CrashRefresh(b, s, bytes)),
  fc.constant(new LightList()),
  fc.constant(new UpdatedList()),
  fc.constant(new Refresh()),
  fc.integer({ min: 200, max: 4000 }).map((bytes) => new Refresh(bytes))
]

describe("Refresh: the index equals a projection of the files (model-based)", () => {
  it("under random create / append / fork / rewrite / rename / archive / delete / crash-mid-refresh / refresh", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: "large" }), async (cmds) => {
        const home = Home.tempDir()
        const store = Store.open({ home, path: path.join(home, "index.sqlite") })
        try {
          await fc.asyncModelRun(
            () => ({ model: { threads: new Map(), names: new Map(), clock: Date.UTC(2026, 10, 21), next: 1 }, real: { home, store } }),
            [...cmds, new Refresh()]
          )
        } finally {
          store.close()
          fs.rmSync(home, { recursive: true, force: true })
        }
      }),
      { numRuns: 40 }
    )
  })
})

import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import Database from "better-sqlite3"
import * as IndexDatabase from "@rollout/store/IndexDatabase"
import * as RefreshModule from "@rollout/store/Refresh"
import * as Store from "@rollout/store/Store"
import * as Home from "./support/Home.js"

const open: Array<Store.Store> = []
const openStore = (home: string, options: Partial<Store.Options> = {}) => {
  const s = Store.open({ home, path: path.join(Home.tempDir("rollout-index-"), "index.sqlite"), ...options })
  open.push(s)
  return s
}
afterEach(() => {
  for (const s of open.splice(0)) s.close()
})

/**
 * Writes at `file` the index an older build (schema `version`) would have made of what `current`
 * holds: that version's migrations, its columns of the threads, fold states without the facts
 * version 4 added, and the documents in the table versions up to 4 kept.
 */
const olderIndex = (file: string, version: 3 | 4, current: IndexDatabase.Db): void => {
  const db = new Database(file)
  for (const sql of IndexDatabase.migrations.slice(0, version)) db.exec(sql)
  db.pragma(`user_version = ${version}`)
  db.close()
  current.exec(`ATTACH DATABASE '${file}' AS old`)
  const threadColumns = (current.prepare("SELECT name FROM pragma_table_info('threads', 'old')").all() as Array<{ name: string }>).map((c) => c.name).join(", ")
  current.exec(`
    INSERT INTO old.threads SELECT ${threadColumns} FROM main.threads;
    INSERT INTO old.files SELECT path, thread_id, archived, size, mtime_ms, offset, head_hash,
      ${version === 3 ? "json_remove(state, '$.facts'), json_remove(tail_state, '$.facts')" : "state, tail_state"} FROM main.files;
    INSERT INTO old.docs(path, thread_id, offset, line, turn_index, turn_id, kind, text)
      SELECT path, thread_id, offset, line, turn_index, turn_id, kind, text FROM main.docs ORDER BY path, offset;`)
  current.exec("DETACH DATABASE old")
}

describe("Store on a generated home", () => {
  it("records fork parents and sub-agent parents (from parent_thread_id or the thread_spawn source)", async () => {
    const home = Home.tempDir()
    const t0 = Date.UTC(2026, 2, 3)
    const [parent, fork, spawned] = [Home.uuid(1), Home.uuid(2), Home.uuid(3)]
    Home.write(Home.rolloutPath(home, parent, t0), [Home.sessionMeta(parent, t0), ...Home.turn("a", t0, "root", "ok")])
    Home.write(Home.rolloutPath(home, fork, t0 + 1), [Home.sessionMeta(fork, t0 + 1, { forkedFromId: parent }), ...Home.turn("b", t0, "forked", "ok")])
    const source = { subagent: { thread_spawn: { parent_thread_id: parent, depth: 1, agent_path: "/root/w", agent_nickname: null, agent_role: "explorer" } } }
    Home.write(Home.rolloutPath(home, spawned, t0 + 2), [Home.sessionMeta(spawned, t0 + 2, { source }), ...Home.turn("c", t0, "sub", "ok")])
    const store = openStore(home)
    const byId = new Map((await store.list()).data.map((t) => [t.id, t]))
    expect(byId.get(fork)).toMatchObject({ forkedFromId: parent, parentThreadId: null })
    expect(byId.get(spawned)).toMatchObject({ source: "subagent:thread_spawn", parentThreadId: parent, forkedFromId: null })
  })

  it("given a deleted index file, then the next listing rebuilds it from the files", async () => {
    const home = Home.copySample()
    const file = path.join(Home.tempDir("rollout-index-"), "index.sqlite")
    const first = openStore(home, { path: file })
    expect((await first.list({ limit: 100 })).data.length).toBe(9)
    first.close()
    open.splice(open.indexOf(first), 1)
    for (const p of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(p, { force: true })
    const again = openStore(home, { path: file })
    expect((await again.list({ limit: 100 })).data.length).toBe(9)
  })
})

describe("Store: turns, tokens, sizes and trim measures", () => {
  it("given an index an older version built (schema 3, no turns or tokens in its states), when opened, then it is emptied and the next listing reads every file again", async () => {
    const home = Home.copySample()
    const file = path.join(Home.tempDir("rollout-index-"), "index.sqlite")
    const built = openStore(home)
    const expected = (await built.list({ limit: 100 })).data
    // What version 3 held: its schema, fold states without facts, documents in the old table.
    olderIndex(file, 3, built.database)
    const again = openStore(home, { path: file })
    expect(again.database.prepare("SELECT count(*) AS n FROM files").get()).toEqual({ n: 0 })
    const listed = (await again.list({ limit: 100 })).data
    expect(listed.map((t) => [t.id, t.turns, t.tokens, t.bytes])).toEqual(expected.map((t) => [t.id, t.turns, t.tokens, t.bytes]))
    expect(listed.some((t) => t.turns > 0 && t.tokens !== null)).toBe(true)
    expect((await again.search({ text: "the" })).length).toBeGreaterThan(0)
    expect(again.database.prepare("SELECT count(*) AS n FROM fts_deferred").get()).toEqual({ n: 0 })
  })

  it("given an index of version 4 (a path and thread id on every document), when opened, then its documents are dropped and read again, and search answers as before", async () => {
    const home = Home.copySample()
    const file = path.join(Home.tempDir("rollout-index-"), "index.sqlite")
    const built = openStore(home)
    const hits = await built.search({ text: "the", limit: 500 })
    const docs = built.database.prepare("SELECT path, thread_id, offset, line, turn_index, turn_id, kind, text FROM docs ORDER BY path, offset").all()
    olderIndex(file, 4, built.database)
    const again = openStore(home, { path: file })
    expect(again.database.prepare("SELECT count(*) AS n FROM files").get()).toEqual({ n: 0 })
    expect(again.database.prepare("SELECT count(*) AS n FROM docs").get()).toEqual({ n: 0 })
    expect(await again.search({ text: "the", limit: 500 })).toEqual(hits)
    expect(again.database.prepare("SELECT path, thread_id, offset, line, turn_index, turn_id, kind, text FROM docs ORDER BY path, offset").all()).toEqual(docs)
    RefreshModule.fullTextCheck(again.database)
  })

  it("given an older build writing documents in the old shape (version 4's statements) to an index of version 5, then they land in the new tables and search answers as before", async () => {
    const home = Home.copySample()
    const store = openStore(home)
    const hits = await store.search({ text: "the", limit: 500 })
    const db = store.database
    type Doc = { path: string; thread_id: string; offset: number; line: number; turn_index: number | null; turn_id: string | null; kind: string; text: string }
    const all = () => db.prepare<[], Doc>("SELECT path, thread_id, offset, line, turn_index, turn_id, kind, text FROM docs ORDER BY path, offset").all()
    const docs = all()
    const paths = [...new Set(docs.map((d) => d.path))]
    const insert = (d: Doc) =>
      db
        .prepare("INSERT INTO docs(path, thread_id, offset, line, turn_index, turn_id, kind, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(d.path, d.thread_id, d.offset, d.line, d.turn_index, d.turn_id, d.kind, d.text)
    // Each file read again from the start, then one from the middle (a grown file).
    IndexDatabase.write(db, () => {
      for (const p of paths) db.prepare("DELETE FROM docs WHERE path = ?").run(p)
      for (const d of docs) insert(d)
    })
    const grown = docs.filter((d) => d.path === paths[0])
    const middle = grown[Math.floor(grown.length / 2)]?.offset ?? 0
    IndexDatabase.write(db, () => {
      db.prepare("DELETE FROM docs WHERE path = ? AND offset >= ?").run(paths[0], middle)
      for (const d of grown) if (d.offset >= middle) insert(d)
    })
    expect(all()).toEqual(docs)
    expect(await store.search({ text: "the", limit: 500 }, false)).toEqual(hits)
    // A file renamed (archived) by the older build.
    IndexDatabase.write(db, () => db.prepare("UPDATE docs SET path = ? WHERE path = ?").run(`${paths[0]}.moved`, paths[0]))
    expect(all().filter((d) => d.path === `${paths[0]}.moved`).length).toBe(grown.length)
    RefreshModule.fullTextCheck(db)
  })

  it("measures a thread's trim once, and again only after its files change", async () => {
    const home = Home.tempDir()
    const id = Home.uuid(1)
    const file = Home.rolloutPath(home, id, 0)
    Home.write(file, [Home.sessionMeta(id, 0), ...Home.turn("a", 0, "hello", "ok")], 1000)
    const store = openStore(home)
    await store.list()
    const measured: Array<ReadonlyArray<string>> = []
    const measure = async (paths: ReadonlyArray<string>) => {
      measured.push(paths)
      return 7
    }
    expect(await store.trimFrees([id, Home.uuid(9)], measure)).toEqual(new Map([[id, 7]]))
    expect(await store.trimFrees([id], measure)).toEqual(new Map([[id, 7]]))
    expect(measured).toEqual([[file]])
    Home.append(file, `${Home.turn("b", 5, "again", "ok").join("\n")}\n`, 2000)
    await store.list()
    await store.trimFrees([id], measure)
    expect(measured.length).toBe(2)
  })
})

describe("Store on the sample Codex home (Codex 0.169 rollouts)", () => {
  it("lists every thread newest first, with Codex's metadata and names", async () => {
    const home = Home.copySample()
    const store = openStore(home)
    const page = await store.list({ limit: 100 })
    expect(page.data.length).toBe(9)
    expect(page.nextCursor).toBeNull()
    const created = page.data.map((t) => t.createdAtMs)
    expect([...created].sort((a, b) => b - a)).toEqual(created)
    const named = page.data.find((t) => t.id === "01a1fb98-3e76-7a42-a25c-af3950c41fdb")
    expect(named).toMatchObject({ name: "Sample chat", source: "vscode", modelProvider: "local", cwd: "/tmp/rollout-oracle/workspace", archived: false })
    const fork = page.data.find((t) => t.id === "01a1fb98-5691-7263-94fa-5eed69d583aa")
    expect(fork).toMatchObject({ forkedFromId: "01a1fb98-4d37-7260-9806-d731f1871140", historyMode: "paginated", source: "exec" })
    expect(fork?.preview).not.toBe("")
  })

  it("searches messages and tool calls, pointing at the turn (paginated rollouts too)", async () => {
    const home = Home.copySample()
    const store = openStore(home)
    const hits = await store.search({ text: "workspace" })
    expect(hits).toContainEqual(
      expect.objectContaining({
        threadId: "01a1fb98-4d37-7260-9806-d731f1871140",
        turn: { index: 0, id: "01a1fb98-4d55-78d3-badf-bcc33b47b8c0" },
        kind: "agent",
        snippet: "The [workspace] holds notes.md."
      })
    )
  })

  it("counts every hit of a search, not only the page a limit lets through", async () => {
    const store = openStore(Home.copySample())
    const all = await store.search({ text: "workspace", limit: 500 })
    expect(all.length).toBeGreaterThan(1)
    expect(await store.search({ text: "workspace", limit: 1 })).toHaveLength(1)
    expect(store.searchTotal({ text: "workspace", limit: 1 })).toBe(all.length)
    expect(store.searchTotal({ text: "workspace", kinds: ["agent"] })).toBe(all.filter((h) => h.kind === "agent").length)
  })
})

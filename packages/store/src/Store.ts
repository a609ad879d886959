/**
 * The index of one Codex home, as the CLI uses it: open the SQLite file (creating, migrating or
 * rebuilding it), refresh it from the rollout files, list, search, archive and unarchive. Every
 * read goes through a refresh first unless told otherwise: `refresh()` checks every file; `list`
 * and `search` run a check bounded in time whose freshness rule is spelt out at `list` and in
 * AppendCheck (new, removed and moved threads always; appends to the most recent files always, to
 * the others of a large home within a few runs);
 * a database found corrupt in the middle of an operation is deleted, rebuilt from the files and
 * the operation retried once. This is the package's entry point; the parts live in their modules.
 */
import { Effect, type Scope } from "effect"
import type * as Archive from "./Archive.js"
import * as Host from "./internal/Host.js"
import * as IndexDatabase from "./IndexDatabase.js"
import * as Refresh from "./Refresh.js"
import * as SearchDocs from "./internal/SearchDocs.js"
import * as ThreadList from "./ThreadList.js"
import * as ThreadSearch from "./ThreadSearch.js"
import * as TrimCache from "./TrimCache.js"

export interface Options {
  readonly home: string
  /** The SQLite file; default `IndexDatabase.location`'s (the per-user cache folder). */
  readonly path?: string
  /** Delete any existing index and build it again from the files. */
  readonly rebuild?: boolean
  /** The files and clock the store works with; default the machine's (`Host.live`). */
  readonly host?: Host.Shape
}

/** Loaded by the two commands that move files: a listing or a search never needs it. */
const archiving = () => import("./Archive.js")

export class Store {
  private constructor(
    private db: IndexDatabase.Db,
    readonly home: string,
    readonly path: string,
    /** Whether the file was unreadable (or asked to be rebuilt) and was recreated empty. */
    public rebuilt: boolean,
    private readonly host: Host.Shape
  ) {}

  static open(options: Options): Store {
    const path = options.path ?? IndexDatabase.location(undefined, {}, options.home)
    const { db, rebuilt } = IndexDatabase.open(path, options.rebuild === true)
    return new Store(db, options.home, path, rebuilt || options.rebuild === true, options.host ?? Host.live)
  }

  /** The connection, for tests and tools that inspect the tables. */
  get database(): IndexDatabase.Db {
    return this.db
  }

  /** Whether the index has never been filled (the first refresh reads every file). */
  isEmpty(): boolean {
    return this.guard(() => this.db.prepare("SELECT 1 FROM files LIMIT 1").get() === undefined)
  }

  refresh(options: Refresh.Options = {}): Promise<Refresh.Result> {
    return this.guardAsync(() => Refresh.refresh(this.db, this.home, options, this.host))
  }

  /**
   * A page of threads, from an index refreshed first (`refresh: false` skips that). The refresh is
   * bounded, not a stat of every file (that is `refresh()`, `rollout index`):
   * - new, removed and moved rollouts are always found (folders whose modification time moved,
   *   HomeListing), and the files of the page itself are stat'ed and read again if they grew;
   * - by creation time that is exact: an append never moves a thread in that order;
   * - by update time or with a search, appends elsewhere are found by AppendCheck's rule: at once
   *   for the most recently updated files and for every file of a home of about two thousand
   *   rollouts, within a few listings for a long-idle thread of a larger home.
   */
  list(query: ThreadList.Query = {}, refresh: Refresh.Options | false = {}): Promise<ThreadList.Page> {
    if (refresh === false) return this.fresh(() => ThreadList.list(this.db, query), false)
    const light = (query.sortKey ?? "created_at") === "created_at" && (query.search ?? "") === ""
    return this.fresh(
      async () => {
        let page = ThreadList.list(this.db, query)
        for (let round = 0; round < 3; round++) {
          const r = await Refresh.refresh(this.db, this.home, { ...refresh, scope: { paths: page.data.flatMap((t) => t.paths) } }, this.host)
          if (r.filesRead === 0 && r.filesRemoved === 0) break
          page = ThreadList.list(this.db, query)
        }
        return page
      },
      { ...refresh, scope: light ? "changed-dirs" : "quick" }
    )
  }

  /**
   * What `rollout trim` would free for each thread of `ids`, from the index as it is (no refresh):
   * stored measures where the thread's files did not change since, `measure` for the others.
   */
  trimFrees(ids: ReadonlyArray<string>, measure: TrimCache.Measure): Promise<ReadonlyMap<string, number | null>> {
    return this.guardAsync(() => TrimCache.frees(this.db, ids, measure))
  }

  /**
   * Full-text hits, from an index refreshed first with the same bounded check as a listing by update
   * time (`refresh: false` skips it; `refresh()` first checks every file).
   */
  search(query: ThreadSearch.Query, refresh: Refresh.Options | false = {}): Promise<ReadonlyArray<ThreadSearch.Hit>> {
    return this.fresh(() => ThreadSearch.search(this.db, query), refresh && { scope: "quick", ...refresh })
  }

  /** How many hits `query` has in all, ignoring its limit, from the index as it is (no refresh). */
  searchTotal(query: ThreadSearch.Query): number {
    return this.guard(() => ThreadSearch.count(this.db, query))
  }

  /** How many search documents the index holds, as it is (no refresh). */
  documentCount(): number {
    return this.guard(() => SearchDocs.count(this.db))
  }

  /** Archives thread `id` (its files move to archived_sessions/). Throws `Archive.Failure`. */
  archive(id: string, refresh: Refresh.Options | false = {}): Promise<Archive.Moved> {
    return this.fresh(async () => (await archiving()).move(this.db, this.home, id, true, this.host), refresh && { ...refresh, scope: "changed-dirs" })
  }

  /** Moves thread `id` back to sessions/YYYY/MM/DD/. Throws `Archive.Failure`. */
  unarchive(id: string, refresh: Refresh.Options | false = {}): Promise<Archive.Moved> {
    return this.fresh(async () => (await archiving()).move(this.db, this.home, id, false, this.host), refresh && { ...refresh, scope: "changed-dirs" })
  }

  close(): void {
    this.db.close()
  }

  /** Replaces a corrupt database with an empty one (the caller's next refresh fills it). */
  private recreate(): void {
    try {
      this.db.close()
    } catch {
      // already unusable
    }
    IndexDatabase.remove(this.path)
    this.db = IndexDatabase.open(this.path).db
    this.rebuilt = true
  }

  /** Refreshes (unless told not to), then answers; a corrupt database is rebuilt and asked again. */
  private async fresh<A>(f: () => A | Promise<A>, refresh: Refresh.Options | false): Promise<A> {
    const run = async () => {
      if (refresh !== false) await Refresh.refresh(this.db, this.home, refresh, this.host)
      return f()
    }
    try {
      return await run()
    } catch (error) {
      if (!IndexDatabase.isUnreadable(error)) throw error
      this.recreate()
      if (refresh === false) await Refresh.refresh(this.db, this.home, {}, this.host)
      return await run()
    }
  }

  private guard<A>(f: () => A): A {
    try {
      return f()
    } catch (error) {
      if (!IndexDatabase.isUnreadable(error)) throw error
      this.recreate()
      return f()
    }
  }

  private async guardAsync<A>(f: () => Promise<A>): Promise<A> {
    try {
      return await f()
    } catch (error) {
      if (!IndexDatabase.isUnreadable(error)) throw error
      this.recreate()
      return await f()
    }
  }
}

export const open = (options: Options): Store => Store.open(options)

/** Opens the store on the provided Host for the length of the scope, closing it at the end. */
export const make = (options: Omit<Options, "host">): Effect.Effect<Store, never, Host.Host | Scope.Scope> =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const host = yield* Host.Host
      return Store.open({ ...options, host })
    }),
    (store) => Effect.sync(() => store.close())
  )

/**
 * Where `rollout serve` gets its threads: a local Codex home through its SQLite index
 * (`HomeSource`), or the team's PostgreSQL database that many machines push into (`TeamSource`).
 * The protocol and the web app ask a source for rows, pages, hits and figures, and read a thread's
 * rollout through the `Files` service it gives (the local disk, or the pushed bytes), so both
 * rebuild a thread with the same folds. A source that cannot change threads has no `writes`: the
 * protocol then refuses archive, unarchive and rename. It renders nothing.
 */
import type * as Files from "@rollout/log/Files"
import type * as Store from "@rollout/store/Store"
import type * as ThreadList from "@rollout/store/ThreadList"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import type * as Api from "@rollout/web/Api"
import type * as MetaLine from "./internal/MetaLine.js"
import type * as ThreadListQuery from "./internal/ThreadListQuery.js"

/** A thread's row; `machine` names the machine that pushed it (team database only). */
export interface Thread extends ThreadList.ThreadSummary {
  readonly machine?: string
}

/** Where a thread's files are read: their file system and the home their paths lie in. */
export interface Reader {
  readonly files: Files.Shape
  readonly home: string
}

export interface Hit extends ThreadSearch.Hit {
  readonly machine?: string
}

/** The changes Codex's clients make without a model, on a source that allows them. */
export interface Writes {
  readonly archive: (id: string) => Promise<void>
  readonly unarchive: (id: string) => Promise<void>
  /** Appends the name, as Codex does, to the home's `session_index.jsonl`. */
  readonly setName: (id: string, name: string) => void
}

export interface ThreadSource {
  /** What `initialize` answers as `codexHome`: the home, or the database's redacted URL. */
  readonly home: string
  /** Brings the source up to date before an answer (the index's bounded refresh; nothing for a database). */
  readonly refresh: () => Promise<void>
  /** Thread `id` (lower case), without refreshing first. */
  readonly find: (id: string) => Promise<Thread | undefined>
  readonly reader: (t: Thread) => Promise<Reader>
  /** A string that changes whenever the thread's files do. */
  readonly version: (t: Thread) => Promise<string>
  /** The `session_meta` of the thread's first file, read alone. */
  readonly meta: (t: Thread) => Promise<MetaLine.Meta | undefined>
  /** `thread/list` with Codex's paging rules. */
  readonly list: (p: ThreadListQuery.Params) => Promise<ThreadListQuery.Page<Thread>>
  /** The web app's list, as `rollout ls` pages it (`machine`: the team database's rows of one machine). */
  readonly threads: (
    q: ThreadList.Query & { readonly machine?: string }
  ) => Promise<{ readonly data: ReadonlyArray<Thread>; readonly nextCursor: string | null }>
  readonly facets: () => Promise<Api.Facets>
  readonly search: (q: ThreadSearch.Query) => Promise<{ readonly hits: ReadonlyArray<Hit>; readonly total: number }>
  /** A string that changes whenever the statistics may have. */
  readonly statsVersion: () => Promise<string>
  /** The dashboard's figures. */
  readonly stats: () => Promise<Api.StatsAnswer>
  /** Every thread's version, keyed by thread id: the live feed compares two of these. */
  readonly changes: () => Promise<Map<string, string>>
  /** Folders whose changes are worth a look at once (the home's rollout folders); the feed polls besides. */
  readonly watched: ReadonlyArray<string>
  readonly writes: Writes | undefined
  /** The home and its index when the source is a local home: the turn index and re-execution need files on this disk. */
  readonly local: { readonly home: string; readonly store: Store.Store } | undefined
  readonly close: () => Promise<void>
}

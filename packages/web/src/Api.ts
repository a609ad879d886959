/**
 * The JSON that `rollout serve`'s `/api/...` routes answer and the web app reads: the one contract
 * between the server (`@rollout/serve/WebApi`) and the front end (`src/app`). Plain data only; no
 * field carries HTML except `html`, which the server renders with the HTML export's sanitising
 * renderer (`@rollout/view/HtmlFragment`) and the page shows under a CSP that runs no inline script.
 */

export interface Tokens {
  readonly input: number
  readonly cachedInput: number
  readonly output: number
  readonly reasoningOutput: number
  readonly total: number
}

/** One row of the thread list (seconds since the epoch for times). */
export interface ThreadRow {
  readonly id: string
  readonly title: string
  readonly cwd: string
  readonly source: string
  readonly model: string | null
  readonly createdAt: number
  readonly updatedAt: number
  readonly archived: boolean
  readonly forkedFromId: string | null
  readonly parentThreadId: string | null
  readonly agentNickname: string | null
  /** The machine that pushed the thread (`serve --database` only). */
  readonly machine?: string
}

export interface ThreadsPage {
  readonly data: ReadonlyArray<ThreadRow>
  readonly nextCursor: string | null
}

/** The values the list's filters offer. */
export interface Facets {
  readonly cwds: ReadonlyArray<string>
  readonly models: ReadonlyArray<string>
  readonly sources: ReadonlyArray<string>
  /** The machines that pushed threads (`serve --database` only). */
  readonly machines?: ReadonlyArray<string>
}

/** A run of snippet text, matched or not. */
export interface SnippetPart {
  readonly text: string
  readonly hit: boolean
}

export interface SearchHit {
  readonly threadId: string
  readonly threadTitle: string
  readonly cwd: string
  /** 1-based turn the hit is in, when the index knows it. */
  readonly turn: number | null
  readonly kind: string
  readonly line: number
  readonly snippet: ReadonlyArray<SnippetPart>
  /** The machine that pushed the thread (`serve --database` only). */
  readonly machine?: string
}

export interface SearchAnswer {
  readonly hits: ReadonlyArray<SearchHit>
  readonly total: number
}

/** A thread's facts, shown above its turns. */
export interface ThreadFacts {
  readonly id: string
  readonly title: string
  readonly cwd: string
  readonly model: string | null
  readonly source: string
  readonly cliVersion: string
  readonly createdAt: number
  readonly forkedFromId: string | null
  readonly turns: number
  readonly tokens: number
  /** USD at the built-in prices; null when some model has no price. */
  readonly costUSD: number | null
  /** The machine that pushed the thread (`serve --database` only). */
  readonly machine?: string
}

export interface TurnUsage {
  readonly tokens: Tokens
  readonly model: string | null
  readonly costUSD: number | null
}

export interface TurnEntry {
  /** 1-based. */
  readonly n: number
  readonly id: string
  readonly status: string
  readonly title: string
  readonly startedAt: number | null
  readonly durationMs: number | null
  readonly usage: TurnUsage | null
  /** The turn's body as the HTML export draws it (escaped text, sanitised Markdown). */
  readonly html: string
  /** Strings of the turn too long to send whole: `html` shows their heads. */
  readonly cuts?: ReadonlyArray<Cut>
}

/**
 * A string of a turn cut to its head: in part `part` (an item or work entry, in the turn's order),
 * at `path` (field names and indexes joined by `/`, each URI-encoded), `length` UTF-16 code units
 * and `bytes` UTF-8 bytes long, of which the first `shown` code units are in the turn's HTML.
 * `url`, where given, answers the whole string as plain text (add the page's token).
 */
export interface Cut {
  readonly part: number
  readonly path: string
  readonly length: number
  readonly bytes: number
  readonly shown: number
  readonly url?: string
}

/** A page of a thread's turns, oldest first from `from` (0-based). */
export interface TurnsPage {
  readonly thread: ThreadFacts
  readonly from: number
  readonly turns: ReadonlyArray<TurnEntry>
  /**
   * Present while the thread's turn index is first built: the turns came from the file's first
   * lines, `thread.turns` counts those seen so far, and the pass has read `read` of `size` bytes.
   */
  readonly indexing?: Indexing
}

export interface Indexing {
  readonly read: number
  readonly size: number
}

/** The thread after one line of its rollout, as `rollout replay --step` shows it. */
export interface ReplayFrame {
  readonly threadId: string
  readonly title: string
  /** The line just folded (0 before the first). */
  readonly line: number
  readonly lastLine: number
  readonly position: number
  readonly steps: number
  /** 1-based turn the position is in, and how many turns start in the session. */
  readonly turn: number
  readonly turnCount: number
  /** The line numbers where turns start, for the slider's marks and the turn keys. */
  readonly turnLines: ReadonlyArray<number>
  /** The current line's type (`event_msg/task_started`) and its text, clipped. */
  readonly label: string
  readonly raw: string
  readonly turns: ReadonlyArray<TurnEntry>
}

export interface StatsDay {
  readonly day: string
  readonly tokens: Tokens
  readonly costUSD: number | null
  readonly models: ReadonlyArray<{ readonly model: string; readonly total: number; readonly costUSD: number | null }>
}

export interface StatsGroup {
  readonly key: string
  /** Turns, where the report counts them per group (projects; not models). */
  readonly turns: number | null
  readonly total: number
  readonly costUSD: number | null
}

export interface StatsAnswer {
  readonly days: ReadonlyArray<StatsDay>
  readonly models: ReadonlyArray<StatsGroup>
  readonly projects: ReadonlyArray<StatsGroup>
  readonly totals: { readonly threads: number; readonly turns: number; readonly tokens: Tokens; readonly costUSD: number | null }
}

export type DiffKind = "same" | "changed" | "onlyA" | "onlyB"

export interface DiffSide {
  readonly n: number
  readonly title: string
  readonly status: string
  readonly text: string
}

export interface DiffRow {
  readonly kind: DiffKind
  readonly a: DiffSide | null
  readonly b: DiffSide | null
}

export interface DiffAnswer {
  readonly a: ThreadFacts
  readonly b: ThreadFacts
  readonly rows: ReadonlyArray<DiffRow>
  /** Turns both share from the start. */
  readonly common: number
}

/** What the live feed (`/api/events`, server-sent events) says when the home changed. */
export interface LiveChange {
  /** Threads that appeared or grew. */
  readonly threads: ReadonlyArray<string>
}

export interface ApiError {
  readonly error: string
}

/** Where a re-executed line's JSON differs from the recorded one: a member path and both values (JSON, clipped). */
export interface VerifyField {
  readonly path: string
  readonly expected: string | null
  readonly actual: string | null
}

/**
 * A replay against its recording (`/api/threads/ID/verify`): the session re-executed with
 * `rollout replay --verify`'s machinery and its lines compared with the recorded ones.
 */
export interface VerifyAnswer {
  readonly thread: { readonly id: string; readonly title: string }
  /** `identical`: the same lines; `different`: see `difference`; `unavailable`: see `message`. */
  readonly verdict: "identical" | "different" | "unavailable"
  readonly message: string | null
  /** For a thread another writer started: the line count it was resumed at (re-executed after it). */
  readonly resumedAt: number | null
  readonly difference: {
    /** 1-based line of the recording. */
    readonly line: number
    /** The recorded line (null: the recording ended first) and the re-executed one (null: the re-run ended first). */
    readonly expected: string | null
    readonly actual: string | null
    readonly fields: ReadonlyArray<VerifyField>
  } | null
}

/**
 * The team store's entry points for a command: each runs one question against the database at a
 * URL (opened, migrated on first use, and closed around it). Failures are `TeamError`s whose
 * messages never hold the password.
 */
import { Effect } from "effect"
import type * as StatsReport from "@rollout/reduce/StatsReport"
import type * as ThreadList from "@rollout/store/ThreadList"
import type * as ThreadSearch from "@rollout/store/ThreadSearch"
import * as TeamDatabase from "./TeamDatabase.js"
import type * as TeamError from "./TeamError.js"
import * as TeamList from "./TeamList.js"
import * as TeamSearch from "./TeamSearch.js"
import * as TeamStats from "./TeamStats.js"
import * as TeamSync from "./TeamSync.js"

const at = <A>(url: string, work: Effect.Effect<A, TeamError.TeamError, TeamDatabase.TeamDatabase>): Effect.Effect<A, TeamError.TeamError> =>
  work.pipe(Effect.provide(TeamDatabase.layer(url)))

export const sync = (url: string, options: TeamSync.Options): Effect.Effect<TeamSync.Result, TeamError.TeamError> => at(url, TeamSync.push(options))

export const list = (url: string, query: ThreadList.Query & { readonly machine?: string }): Effect.Effect<TeamList.Page, TeamError.TeamError> =>
  at(url, TeamList.list(query))

export const search = (url: string, query: ThreadSearch.Query & { readonly machine?: string }): Effect.Effect<TeamSearch.Answer, TeamError.TeamError> =>
  at(url, TeamSearch.search(query))

/**
 * Opens the database for as long as `work` runs (a server's life), migrated first; a URL that is
 * wrong or a server that cannot be reached fails before `work` starts.
 */
export const open = <A>(url: string, work: (db: TeamDatabase.Shape) => Promise<A>): Effect.Effect<A, TeamError.TeamError> => at(url, TeamDatabase.use(work))

export const stats = (url: string, query: TeamStats.Query): Effect.Effect<StatsReport.Report, TeamError.TeamError> => at(url, TeamStats.stats(query))

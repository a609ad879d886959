/**
 * What `rollout index` reports after a refresh: the refresh's counts and the index's totals, as
 * `--json` prints them, and the one line printed without it. Shared by the command
 * (`IndexCommand`) and its quick path (`IndexQuick`), so both print the same.
 */
import type * as Refresh from "@rollout/store/Refresh"
import type * as Store from "@rollout/store/Store"

export interface Summary extends Refresh.Result {
  readonly index: string
  readonly rebuilt: boolean
  readonly threads: number
  readonly files: number
  readonly documents: number
}

/** Refreshes `store` with `refresh` and counts what the index holds then. */
export const collect = async (store: Store.Store, refresh: Refresh.Options): Promise<Summary> => {
  const result = await store.refresh(refresh)
  const count = (table: string) => (store.database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  return { index: store.path, rebuilt: store.rebuilt, ...result, threads: count("threads"), files: count("files"), documents: store.documentCount() }
}

/** The summary as printed: one JSON object with `json`, else one line (`seconds` the command took). */
export const render = (summary: Summary, seconds: number, json: boolean): string =>
  json
    ? `${JSON.stringify(summary)}\n`
    : `${summary.rebuilt ? "rebuilt" : "refreshed"} ${summary.index}: read ${summary.filesRead} file${summary.filesRead === 1 ? "" : "s"} (${(summary.bytesRead / 1e6).toFixed(1)} MB), removed ${summary.filesRemoved}, in ${seconds.toFixed(2)} s; ${summary.threads} threads in ${summary.files} files, ${summary.documents} searchable documents\n`

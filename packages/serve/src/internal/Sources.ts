/**
 * The source a server's options name: the one given, or the local home's through its index (how
 * every server was configured before there was a choice, and how the tests still configure them).
 */
import type * as Store from "@rollout/store/Store"
import * as HomeSource from "../HomeSource.js"
import type * as ThreadSource from "../ThreadSource.js"

export interface Options {
  /** The threads served; without it, those of `home` through its index `store`. */
  readonly source?: ThreadSource.ThreadSource
  readonly home?: string
  readonly store?: Store.Store
}

export const of = (o: Options): ThreadSource.ThreadSource => {
  if (o.source !== undefined) return o.source
  if (o.home === undefined || o.store === undefined) throw new Error("rollout serve needs a thread source, or a home and its index")
  return HomeSource.make({ home: o.home, store: o.store })
}

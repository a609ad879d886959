/**
 * The buckets of one file as `StatsBuilder` fills them: keyed by `StatsFile.bucketKey` (quarter
 * hour, model, tier), each one object changed in place. The last key made is kept for the
 * timestamp head, model and tier it was made for: consecutive lines mostly share their quarter
 * hour, and a key made again is a string made again and hashed again on every line.
 */
import * as StatsFile from "../StatsFile.js"

type Mutable<A> = { -readonly [K in keyof A]: A[K] }
export type Filling = Mutable<StatsFile.Bucket>

export class Buckets {
  readonly all: Record<string, Filling> = {}
  private head = ""
  private model = ""
  private tier = ""
  private key = ""

  /** The key of the bucket a line stamped `ts` falls in at this model and tier. */
  keyOf(ts: string, model: string, tier: string): string {
    // `slotOf` reads such a timestamp's slot from its first 16 characters: same head, same slot.
    const byHead = StatsFile.slotByHead(ts)
    if (byHead && this.head !== "" && ts.startsWith(this.head) && this.model === model && this.tier === tier) return this.key
    this.key = StatsFile.bucketKey(StatsFile.slotOf(ts), model, tier)
    this.head = byHead ? ts.slice(0, 16) : ""
    this.model = model
    this.tier = tier
    return this.key
  }

  /** The bucket of `key`, made empty on first use. */
  at(key: string): Filling {
    let b = this.all[key]
    if (b === undefined) {
      b = { ...StatsFile.emptyBucket }
      this.all[key] = b
    }
    return b
  }
}

/**
 * A fixed-size set of strings that may answer "maybe seen" for a string never added, but never
 * "not seen" for one that was (a Bloom filter: `hashes` bits per string, from two 32-bit hashes).
 * A streaming pass uses it to notice ids that come back, in memory that does not grow with the
 * file; a false "maybe" only makes it keep a note it did not need. It is not an exact set.
 */

export interface SeenFilter {
  readonly add: (s: string) => void
  readonly maybeHas: (s: string) => boolean
}

/** 2^28 bits (32 MiB, touched only as bits are set): under 1 in 10,000 false answers at ten million strings. */
export const DEFAULT_BITS_LOG2 = 28

const HASHES = 7

/** Two independent 32-bit hashes of `s` (FNV-1a, and a multiply-xorshift one), for double hashing. */
const hash2 = (s: string): [number, number] => {
  let a = 0x811c9dc5
  let b = 0x9e3779b9
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x85ebca6b)
    b ^= b >>> 13
  }
  // An odd step visits distinct bits of a power-of-two table.
  return [a >>> 0, (b | 1) >>> 0]
}

/** An empty filter of 2^`bitsLog2` bits (a small one answers "maybe" often: tests use it to take every branch). */
export const make = (bitsLog2: number = DEFAULT_BITS_LOG2): SeenFilter => {
  const bits = new Uint32Array(Math.max(1, 2 ** bitsLog2 / 32))
  const mask = bits.length * 32 - 1
  const each = (s: string, f: (word: number, bit: number) => boolean): boolean => {
    const [a, b] = hash2(s)
    for (let k = 0; k < HASHES; k++) {
      const at = (a + Math.imul(k, b)) & mask
      if (!f(at >>> 5, 1 << (at & 31))) return false
    }
    return true
  }
  return {
    add: (s) => {
      each(s, (w, bit) => {
        bits[w] = (bits[w] as number) | bit
        return true
      })
    },
    maybeHas: (s) => each(s, (w, bit) => ((bits[w] as number) & bit) !== 0)
  }
}

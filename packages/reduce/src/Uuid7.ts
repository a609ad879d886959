/**
 * UUIDv7 strings (RFC 9562) as a pure sequence: the caller supplies the millisecond timestamp and
 * 74 random bits once, and the n-th id adds n to those bits, so ids are distinct, sort in minting
 * order and depend on nothing but their inputs. This is how the live history builder's "fresh
 * UUIDv7" ids are injected into a pure fold; it is not a general UUID library.
 */

const RAND_BITS = 74n
const RAND_MASK = (1n << RAND_BITS) - 1n

const hex = (value: bigint, digits: number): string => value.toString(16).padStart(digits, "0")

/**
 * The id source `n => id` for time `ms` and `random` (any integers; only their low 74 bits are
 * used, together).
 */
export const sequence =
  (ms: number, random: bigint) =>
  (n: number): string => {
    const rand = (random + BigInt(n)) & RAND_MASK
    const randA = rand >> 62n // 12 bits
    const randB = rand & ((1n << 62n) - 1n) // 62 bits
    const time = BigInt(Math.max(0, Math.floor(ms))) & ((1n << 48n) - 1n)
    const timeHex = hex(time, 12)
    const variantB = (2n << 62n) | randB
    const b = hex(variantB, 16)
    return `${timeHex.slice(0, 8)}-${timeHex.slice(8)}-7${hex(randA, 3)}-${b.slice(0, 4)}-${b.slice(4)}`
  }

const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export const isUuid7 = (s: string): boolean => pattern.test(s)

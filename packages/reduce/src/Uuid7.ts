/**
 * UUIDv7 strings (RFC 9562), pure: the one place ids are formatted. `format` and `fromBytes` make an
 * id from a time and random bits (the engine's `Ids` and `rollout fork --write` take theirs here).
 * `sequence` is a pure sequence: the caller supplies the millisecond timestamp and 74 random bits
 * once, and the n-th id adds n to those bits, so ids are distinct, sort in minting order and depend
 * on nothing but their inputs. This is how the live history builder's "fresh UUIDv7" ids are
 * injected into a pure fold. It is not a general UUID library (no parsing, no other versions).
 */

const RAND_BITS = 74n
const RAND_MASK = (1n << RAND_BITS) - 1n

const hex = (value: bigint, digits: number): string => value.toString(16).padStart(digits, "0")

/** The UUIDv7 for time `ms` (epoch milliseconds) whose 74 random bits are the low bits of `random`. */
export const format = (ms: number, random: bigint): string => {
  const rand = random & RAND_MASK
  const randA = rand >> 62n // 12 bits
  const randB = rand & ((1n << 62n) - 1n) // 62 bits
  const time = BigInt(Math.max(0, Math.floor(ms))) & ((1n << 48n) - 1n)
  const timeHex = hex(time, 12)
  const variantB = (2n << 62n) | randB
  const b = hex(variantB, 16)
  return `${timeHex.slice(0, 8)}-${timeHex.slice(8)}-7${hex(randA, 3)}-${b.slice(0, 4)}-${b.slice(4)}`
}

/**
 * The id source `n => id` for time `ms` and `random` (any integers; only their low 74 bits are
 * used, together).
 */
export const sequence =
  (ms: number, random: bigint) =>
  (n: number): string =>
    format(ms, random + BigInt(n))

/**
 * The UUIDv7 whose bytes 6..15 are `random` (10 bytes) under the version and variant bits, as
 * RFC 9562 lays them out: the 4 low bits of byte 6, byte 7, the 6 low bits of byte 8, bytes 9..15.
 */
export const fromBytes = (ms: number, random: Uint8Array): string => {
  let bits = 0n
  for (let i = 0; i < 10; i++) bits = (bits << 8n) | BigInt(random[i] ?? 0)
  return format(ms, (((bits >> 64n) & 0xfffn) << 62n) | (bits & ((1n << 62n) - 1n)))
}

const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export const isUuid7 = (s: string): boolean => pattern.test(s)

/**
 * The canonical JSON writer: compact JSON exactly as Codex's serde_json writes it (no whitespace,
 * raw non-ASCII, keys in insertion order), plus `JsonNumber` for numbers whose spelling matters
 * (Rust writes an f64 of 19 as `19.0`). It is not a parser: reading uses `JSON.parse`, and bytes
 * read from a file are kept verbatim next to the parsed value rather than re-written.
 */

/** A number kept as its JSON text, so that `19.0` stays `19.0` on the way out. */
export class JsonNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text)
  }
}

/**
 * How Rust's serde_json (ryu) spells an f64: integral values keep a `.0`. Exponent thresholds
 * differ from JavaScript only for magnitudes no rollout field carries (≥ 1e16 or < 1e-5).
 */
export const floatText = (n: number): string => {
  if (!Number.isFinite(n)) return "null"
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return Object.is(n, -0) ? "-0.0" : `${n}.0`
  return String(n).replace("e+", "e")
}

/** Compact JSON of an encoded value. `undefined` properties are omitted, as `JSON.stringify` does. */
export const stringify = (value: unknown): string => {
  let out = ""
  const write = (v: unknown): void => {
    if (v === null) {
      out += "null"
      return
    }
    switch (typeof v) {
      case "string":
        out += JSON.stringify(v)
        return
      case "number":
        out += Number.isFinite(v) ? String(v) : "null"
        return
      case "boolean":
        out += v ? "true" : "false"
        return
      case "bigint":
        out += v.toString()
        return
      case "object": {
        if (v instanceof JsonNumber) {
          out += v.text
          return
        }
        if (Array.isArray(v)) {
          out += "["
          for (let i = 0; i < v.length; i++) {
            if (i > 0) out += ","
            const item: unknown = v[i]
            if (item === undefined || typeof item === "function") out += "null"
            else write(item)
          }
          out += "]"
          return
        }
        out += "{"
        let first = true
        for (const key of Object.keys(v)) {
          const item: unknown = (v as Record<string, unknown>)[key]
          if (item === undefined || typeof item === "function") continue
          if (!first) out += ","
          first = false
          out += JSON.stringify(key)
          out += ":"
          write(item)
        }
        out += "}"
        return
      }
      default:
        out += "null"
    }
  }
  write(value)
  return out
}

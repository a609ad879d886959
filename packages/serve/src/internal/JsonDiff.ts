/**
 * Where two JSON texts differ, member by member: the paths (`payload.info.total_tokens`,
 * `payload.content[0].text`) whose values are not equal, each with both values as clipped JSON
 * text (null where one side has no such member). For showing why a re-executed line is not the
 * recorded one; a text that is not JSON differs as a whole. Pure.
 */

export interface Field {
  readonly path: string
  readonly expected: string | null
  readonly actual: string | null
}

const CLIP = 300
const MAX = 40

const text = (v: unknown): string | null => {
  if (v === undefined) return null
  const s = JSON.stringify(v)
  return s.length > CLIP ? `${s.slice(0, CLIP)}…` : s
}

const parse = (s: string | null): { readonly ok: boolean; readonly value: unknown } => {
  if (s === null) return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(s) }
  } catch {
    return { ok: false, value: s }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined)

const child = (path: string, key: string | number): string => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`)

const walk = (a: unknown, b: unknown, path: string, out: Array<Field>): void => {
  if (out.length >= MAX) return
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))]
    // Own properties only: a key such as `valueOf` must not read the prototype's method.
    for (const k of keys) walk(own(a, k), own(b, k), child(path, k), out)
    return
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], child(path, i), out)
    return
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path: path === "" ? "(line)" : path, expected: text(a), actual: text(b) })
}

/** The differing members of `expected` and `actual` (JSON texts; null for a missing line), at most 40. */
export const fields = (expected: string | null, actual: string | null): ReadonlyArray<Field> => {
  const a = parse(expected)
  const b = parse(actual)
  const out: Array<Field> = []
  if (!a.ok || !b.ok) {
    if (expected !== actual) out.push({ path: "(line)", expected: expected === null ? null : text(expected), actual: actual === null ? null : text(actual) })
    return out
  }
  walk(a.value, b.value, "", out)
  // Equal values written differently (member order, number format): the text is what differs.
  if (out.length === 0 && expected !== actual) out.push({ path: "(text)", expected: text(expected), actual: text(actual) })
  return out
}

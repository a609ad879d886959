/**
 * Text as PostgreSQL stores it: `text` cannot hold U+0000, which rollout strings may contain
 * (JSON allows `\u0000`). Such characters are dropped from stored strings; JSON kept as text is
 * written by `JSON.stringify`, which escapes them, so it needs nothing.
 */
export const clean = (s: string): string => (s.includes("\u0000") ? s.split("\u0000").join("") : s)

export const cleanOrNull = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : clean(s))

/**
 * One CSV cell as a spreadsheet will read it safely. RFC 4180 quoting keeps the columns straight;
 * on top of it, a text cell that a spreadsheet would evaluate as a formula (one starting with
 * `=`, `+`, `-`, `@`, a tab or a CR, such as a model named `=HYPERLINK(…)`) gets a leading `'`,
 * the guard spreadsheets themselves use to mark text. Numbers are written as they are: they
 * come from the engine's counters, never from a rollout's text.
 */

const FORMULA_START = /^[=+\-@\t\r]/

/** A text value with a formula prefix guarded (`'=…`); other text unchanged. */
export const guard = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text)

/** Whether a spreadsheet could take `text` (after CSV unquoting) for a formula. */
export const isFormula = (text: string): boolean => FORMULA_START.test(text)

/** RFC 4180 quoting: a cell with a quote, comma or line break is quoted, inner quotes doubled. */
export const quote = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)

/** A cell of any value: null and undefined empty, numbers as they are, text guarded then quoted. */
export const cell = (value: string | number | boolean | null | undefined): string => {
  if (value === null || value === undefined) return ""
  if (typeof value !== "string") return String(value)
  return quote(guard(value))
}

/**
 * Text from a rollout made safe for a terminal. A rollout is untrusted input: an ESC, OSC or CSI
 * sequence in a message could set the window title, write the clipboard (OSC 52) or move the
 * cursor, and a CR or newline inside a one-line field would break a table. Every C0 and C1
 * control character and DEL is shown as a visible escape (`\x1b`, `\n`) instead. Not a general
 * shell quoter: the result is for reading, not for pasting into a command line.
 */

// C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators and bidi
// overrides, which reorder or break a line on a terminal the same way.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const CONTROL_EXCEPT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" }

const escapeOne = (c: string): string => {
  const known = named[c]
  if (known !== undefined) return known
  const code = c.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
}

/** A value for a one-line field (a cell, a cwd, a title): every control character escaped, newlines too. */
export const field = (text: string): string => text.replace(CONTROL, escapeOne)

/** Multi-line text (a transcript body): newlines kept, every other control character escaped. */
export const text = (value: string): string => value.replace(CONTROL_EXCEPT_LINES, escapeOne)

// For a page (the web app): newline, tab and CR are the text's own layout there, and the line and
// paragraph separators show as breaks; an override or isolate would still reorder what follows.
const CONTROL_EXCEPT_LAYOUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** Text for a page: `text`, but tabs, CRs and the Unicode line separators kept as they are. */
export const page = (value: string): string => value.replace(CONTROL_EXCEPT_LAYOUT, escapeOne)

/** The longest run without white space that `clipRuns` leaves whole (a path is rarely near it). */
export const RUN_MAX = 1000

const LONG_RUN = new RegExp(`\\S{${RUN_MAX + 1},}`, "g")

/**
 * `text` with every run of more than `RUN_MAX` characters without white space cut to its start and
 * its length (`xxxx… (100000 characters)`): an error that quotes what was typed or found (a
 * 100 KB argument, a huge id) stays a line a person can read. A surrogate pair is not split.
 */
export const clipRuns = (text: string): string =>
  text.length <= RUN_MAX
    ? text
    : text.replace(LONG_RUN, (run) => {
        const end = run.charCodeAt(RUN_MAX - 1) >= 0xd800 && run.charCodeAt(RUN_MAX - 1) <= 0xdbff ? RUN_MAX - 1 : RUN_MAX
        return `${run.slice(0, end)}… (${run.length} characters)`
      })

/** Whether `value` still holds a character a terminal would act on other than a newline. */
export const isInert = (value: string): boolean => !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(value)

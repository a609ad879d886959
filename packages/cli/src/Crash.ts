/**
 * What a user sees when the CLI fails in a way no command foresaw (a bug, not a bad input): one
 * line naming what failed and how to report it, never a stack trace (`ROLLOUT_DEBUG=1` adds the
 * stack, for the report). The exit code is 1, as docs/cli-contract.md says.
 */
import * as Terminal from "@rollout/view/Terminal"

const REPORT = "this is a bug: please report it with the command line and `rollout --version` (ROLLOUT_DEBUG=1 prints the stack trace)"

/** The one line printed for an unexpected error; with `debug`, the stack follows it. */
export const line = (error: unknown, debug = false): string => {
  const what = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error)
  // The message may quote input (a path, a line): escaped, it cannot drive the terminal.
  const first = Terminal.field(what.split("\n")[0] ?? "")
  const stack = debug && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : ""
  return `rollout: internal error: ${first} (${REPORT})\n${stack}`
}

/**
 * `rollout --version` without loading the command-line framework: the version, and the line the
 * framework prints for it (same colours, decided by the same terminal rule), so the entry file can
 * answer a bare `--version` in the time of a bare `node`. Not a parser: any other command line goes
 * through `Cli.main`.
 */
export const VERSION = "0.1.0"

/** The environment and streams the colour decision reads. */
export interface Terminal {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdoutIsTerminal: boolean
}

/** Whether `argv` asks for the version and nothing else. */
export const only = (argv: ReadonlyArray<string>): boolean => argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")

const isPresent = (value: string | undefined): value is string => value !== undefined && value.length > 0

// The CLI's presenter colours when stdout is a terminal (Usage.presenter); this answer does too,
// and also stays plain under NO_COLOR or TERM=dumb.
const canColor = ({ env, stdoutIsTerminal }: Terminal): boolean => stdoutIsTerminal && env.TERM !== "dumb" && !isPresent(env.NO_COLOR)

const bold = (text: string) => `\x1b[1m${text}\x1b[0m`
const dim = (text: string) => `\x1b[2m${text}\x1b[0m`

/** The version line as the framework formats it (`rollout v0.1.0`), with its newline. */
export const line = (terminal: Terminal): string => (canColor(terminal) ? `${bold("rollout")} ${dim("v")}${bold(VERSION)}\n` : `rollout v${VERSION}\n`)

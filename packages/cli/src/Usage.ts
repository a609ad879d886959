/**
 * How the CLI answers a command line it cannot run: one line on stderr naming the problem and
 * pointing at `rollout <command> --help`, nothing on stdout (so `--json` output stays one document
 * or nothing), exit 2. Help asked for goes to stdout in full. It is the `effect/cli` presenter the
 * parser reports through, plus the same line for usage errors a command finds itself.
 */
import { Effect } from "effect"
import { type CliError, CliOutput } from "effect/cli"
import type * as Output from "./Output.js"

const expected = (text: string) => `expected ${text.replace(/^Expected:?\s*/, "").replace(/^a string representing an? /, "a ")}`

const suggest = (suggestions: ReadonlyArray<string>) => (suggestions.length === 0 ? "" : ` (did you mean ${suggestions.join(" or ")}?)`)

/** One parser error as a short phrase. */
export const describe = (error: CliError.NonShowHelpErrors): string => {
  switch (error._tag) {
    case "UnrecognizedOption":
      return `unknown flag ${error.option}${suggest(error.suggestions)}`
    case "MissingOption":
      return `missing required flag --${error.option}`
    case "MissingArgument":
      return `missing argument ${error.argument}`
    case "UnexpectedArgument":
      return `unexpected argument${error.arguments.length === 1 ? "" : "s"} ${error.arguments.map((a) => JSON.stringify(a)).join(", ")}`
    case "InvalidValue": {
      const name = error.kind === "flag" ? `--${error.option}` : error.option
      // No word after the flag: the parser names what it wanted by the flag's metavar (`N`, `FILE`).
      if (error.value === "" && /^[A-Z][A-Z0-9_|-]*$/.test(error.expected)) return `${name} needs a value (${error.expected})`
      // A flag's own check may answer a sentence about the value ("X is not an IANA time zone"), not what it expected.
      const own = error.expected.startsWith(`${error.value} `) ? error.expected.slice(error.value.length + 1).replace(/^is /, "") : undefined
      return `bad value ${JSON.stringify(error.value)} for ${name}: ${own ?? expected(error.expected)}`
    }
    case "UnknownSubcommand":
      return `unknown command ${JSON.stringify(error.subcommand)}${suggest(error.suggestions)}`
    case "DuplicateOption":
    case "ValidationError":
    case "UserError":
      return error.message.split("\n")[0] ?? ""
    default: {
      const never: never = error
      return never
    }
  }
}

const isLetterFlag = (e: CliError.NonShowHelpErrors): e is CliError.UnrecognizedOption => e._tag === "UnrecognizedOption" && /^-[a-zA-Z]$/.test(e.option)

/**
 * The parser's errors as phrases. A long flag typed with one dash (`-json`) reaches the parser as
 * single-letter flags (`-j -s -o -n`), each unknown: said once, with the two-dash spelling.
 */
export const describeAll = (errors: ReadonlyArray<CliError.NonShowHelpErrors>): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i] as CliError.NonShowHelpErrors
    let j = i
    while (j < errors.length && isLetterFlag(errors[j] as CliError.NonShowHelpErrors)) j++
    if (j - i < 2) {
      out.push(describe(error))
      continue
    }
    const word = errors
      .slice(i, j)
      .map((e) => (e as CliError.UnrecognizedOption).option.slice(1))
      .join("")
    out.push(`unknown flag -${word} (a long flag takes two dashes: --${word})`)
    i = j - 1
  }
  return out
}

/** The one line for usage problems of `rollout <commandPath>`. */
export const line = (commandPath: ReadonlyArray<string>, problems: ReadonlyArray<string>): string => {
  const command = commandPath.join(" ")
  return `${command}: ${problems.join("; ")}. See '${command} --help'.\n`
}

/** Reports through `output`: help and version on stdout, invocation errors as one line on stderr. */
export const presenter = (output: Output.Shape): CliOutput.Presenter => {
  const formatter = CliOutput.defaultFormatter({ colors: output.colors })
  return {
    present: (event) =>
      Effect.sync(() => {
        switch (event._tag) {
          case "Help": {
            // The parser's wizard, completion and log-level switches are not this tool's interface.
            const globalFlags = event.helpDoc.globalFlags?.filter((f) => f.name === "help" || f.name === "version")
            const page = formatter.formatHelpDoc({ ...event.helpDoc, ...(globalFlags === undefined ? {} : { globalFlags }) })
            // The formatter ends a subcommand list without the blank line every other section gets.
            return output.stdout(`${page.replace(/([^\n])\n(\S*EXAMPLES)/, "$1\n\n$2")}\n`)
          }
          case "InvalidInvocation":
            return output.stderr(line(event.commandPath, describeAll(event.errors)))
          case "Version":
            return output.stdout(`${formatter.formatVersion(event.name, event.version)}\n`)
          default: {
            const never: never = event
            return never
          }
        }
      })
  }
}

/** `rollout <command>` as the command line named it (the first word that is a command), for usage errors found after parsing. */
export const commandPath = (argv: ReadonlyArray<string>, commands: ReadonlyArray<string>): ReadonlyArray<string> => {
  const name = argv.find((a) => commands.includes(a))
  return name === undefined ? ["rollout"] : ["rollout", name]
}

const GLOBAL = new Set(["--help", "-h", "--version", "-v"])

/**
 * The one line for a command's flags typed before the command (`rollout --json ls`), which the
 * parser would call unknown although the command takes them; undefined when the line is not that.
 * Only words that all look like flags come first, so nothing is guessed about their values.
 */
export const misplacedFlags = (argv: ReadonlyArray<string>, commands: ReadonlyArray<string>): string | undefined => {
  const at = argv.findIndex((a) => !a.startsWith("-"))
  const name = argv[at]
  if (at <= 0 || name === undefined || !commands.includes(name)) return undefined
  const flags = argv.slice(0, at)
  if (flags.some((f) => GLOBAL.has(f))) return undefined
  const fixed = ["rollout", name, ...argv.slice(at + 1), ...flags].join(" ")
  return `rollout: ${flags.join(" ")} ${flags.length === 1 ? "goes" : "go"} after the command: ${fixed}. See 'rollout ${name} --help'.\n`
}

/**
 * `rollout help` and `rollout help <command>`, as git and cargo take them: the same as `--help`.
 * Only as the first word, where no command is named `help`, so no argument is ever reread.
 * `argv` with the word replaced: the help page asked for, or what the parser should refuse.
 */
export const helpWord = (argv: ReadonlyArray<string>, commands: ReadonlyArray<string>): ReadonlyArray<string> => {
  if (argv[0] !== "help") return argv
  const [name, ...more] = argv.slice(1)
  if (name === undefined) return ["--help"]
  // `rollout help bogus` is parsed as `rollout bogus`, so the parser names the unknown command.
  return commands.includes(name) ? [name, ...more, "--help"] : [name, ...more]
}

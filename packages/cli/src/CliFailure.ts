/**
 * Failures a command reports to the user, as tagged values, and the one table that maps them to
 * exit codes: 2 for usage errors and input that cannot be read, 1 for input that was read but is
 * invalid. Anything else reaching `main` is an internal error, except a file the system refused to
 * read or an address a server could not listen on (`fromSystemError`). The input failures are the read side's (`@rollout/query/QueryError`);
 * only usage errors are the CLI's own.
 */
import { Data } from "effect"
import { InvalidInput, UnreadableInput } from "@rollout/query/QueryError"

export { InvalidInput, UnreadableInput }

/** The arguments make no sense together (beyond what the parser checks). */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

export type CliFailure = UnreadableInput | UsageError | InvalidInput

export const exitCode = (failure: CliFailure): 1 | 2 => {
  switch (failure._tag) {
    case "UnreadableInput":
    case "UsageError":
      return 2
    case "InvalidInput":
      return 1
  }
}

export const isCliFailure = (u: unknown): u is CliFailure => u instanceof UnreadableInput || u instanceof UsageError || u instanceof InvalidInput

/** Why the system refused a path, in words, for the error codes that mean the path itself is the problem. */
const refusals: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many levels of symbolic links",
  ENOENT: "no such file or directory",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device"
}

/** What the call was doing, from its name: an `open` may read or write, so it says only that. */
const verb = (syscall: unknown): string => {
  switch (syscall) {
    case "scandir":
    case "opendir":
    case "read":
    case "stat":
    case "lstat":
    case "readlink":
      return "read"
    case "write":
    case "mkdir":
    case "rename":
    case "unlink":
    case "copyfile":
      return "write"
    default:
      return "open"
  }
}

/** Why a server could not listen, in words, for the error codes that mean the address or port is the problem. */
const listenRefusals: Readonly<Record<string, string>> = {
  EADDRINUSE: "the address is in use (another server? --port 0 picks a free port)",
  EADDRNOTAVAIL: "no network interface of this machine has that address",
  EACCES: "permission denied (ports below 1024 need privileges; --port 0 picks a free port)"
}

const reason = (table: Readonly<Record<string, string>>, code: unknown): string | undefined =>
  typeof code === "string" && Object.hasOwn(table, code) ? table[code] : undefined

/** Why the system refused a path, in words when the error code is a common refusal, else the error's own message. */
export const why = (u: unknown): string => reason(refusals, (u as { code?: unknown } | null)?.code) ?? (u instanceof Error ? u.message : String(u))

/**
 * A system error no command turned into a failure of its own: a file-system one (a folder of the
 * home that cannot be listed, a symlink loop, an output file in a folder that does not exist) is a
 * path the user cannot use (exit 2, one line naming the path and why), and a server that cannot listen on the address asked for is a usage error (exit 2),
 * not a bug to report. Undefined for anything else.
 */
export const fromSystemError = (u: unknown): CliFailure | undefined => {
  if (!(u instanceof Error)) return undefined
  const { code, path, syscall, address, port } = u as { code?: unknown; path?: unknown; syscall?: unknown; address?: unknown; port?: unknown }
  if (syscall === "listen") {
    const why = reason(listenRefusals, code)
    const where = `${String(address)}${port === undefined ? "" : `:${String(port)}`}`
    return why === undefined ? undefined : new UsageError({ message: `cannot listen on ${where}: ${why}` })
  }
  const why = reason(refusals, code)
  return why === undefined || typeof path !== "string" ? undefined : new UnreadableInput({ message: `cannot ${verb(syscall)} ${path}: ${why}` })
}

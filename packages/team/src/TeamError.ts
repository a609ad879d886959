/**
 * Why the team database gave no answer, as one tagged value: a URL that is not a PostgreSQL URL,
 * a server that cannot be reached or refuses us, a schema newer than this program, or a statement
 * that failed. Every message names the server by its redacted URL (user, host, port, database;
 * never the password), and any text the driver hands back is scrubbed of the password too, so a
 * credential cannot reach output, logs or errors.
 */
import { Data } from "effect"

export type Reason = "bad_url" | "usage" | "unreachable" | "schema" | "failed"

export class TeamError extends Data.TaggedError("TeamError")<{ readonly reason: Reason; readonly message: string }> {}

/** A parsed database URL: what may be shown, and the secret to keep out of every message. */
export interface Target {
  readonly url: string
  /** `postgres://user@host:port/db`: safe to print. */
  readonly shown: string
  readonly secrets: ReadonlyArray<string>
}

/** Parses a URL; only `postgres:` and `postgresql:` URLs with a host are accepted. */
export const target = (url: string): Target | TeamError => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return new TeamError({ reason: "bad_url", message: "the database URL is not a URL (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)" })
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")
    return new TeamError({
      reason: "bad_url",
      message: `the database URL must start with postgres:// or postgresql://, not ${JSON.stringify(parsed.protocol.slice(0, 20))}`
    })
  if (parsed.hostname === "") return new TeamError({ reason: "bad_url", message: "the database URL names no host (expected postgres://USER@HOST/DATABASE)" })
  const password = parsed.password
  const user = parsed.username === "" ? "" : `${parsed.username}@`
  const shown = `${parsed.protocol}//${user}${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`
  return { url, shown, secrets: password === "" ? [] : [password, safeDecode(password)] }
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** `text` with every secret replaced, in case a driver message ever echoes one. */
export const scrub = (t: Target, text: string): string => {
  let out = text.split(t.url).join(t.shown)
  for (const s of t.secrets) if (s !== "") out = out.split(s).join("***")
  return out.replace(/\s+/g, " ").trim()
}

/** Connection failures by driver code: the server is not there or will not let us in. */
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET", "28P01", "28000", "3D000"])

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === "string" ? code : undefined
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Whether a driver error means we never got a working session. */
export const isConnectFailure = (error: unknown): boolean => {
  const code = codeOf(error)
  if (code !== undefined && CONNECT_CODES.has(code)) return true
  const m = messageOf(error)
  return /timeout expired|Connection terminated|connect E|getaddrinfo|self.signed|SSL/i.test(m)
}

/** A driver error as a TeamError about `t`; a TeamError passes through. */
export const from =
  (t: Target) =>
  (error: unknown): TeamError => {
    if (error instanceof TeamError) return error
    const why = scrub(t, messageOf(error)) || codeOf(error) || "unknown error"
    return isConnectFailure(error)
      ? new TeamError({ reason: "unreachable", message: `cannot connect to the team database ${t.shown}: ${why}` })
      : new TeamError({ reason: "failed", message: `the team database ${t.shown} failed: ${why}` })
  }

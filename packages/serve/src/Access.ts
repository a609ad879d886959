/**
 * Who may talk to `rollout serve`: anyone on this machine when it listens on a loopback address;
 * on any other address only a client presenting the access token (`Authorization: Bearer <token>`
 * or `?token=<token>`), because the server hands out every thread of the home. A policy, decided
 * once at start-up; the HTTP server applies it to every request and WebSocket upgrade.
 */
import * as crypto from "node:crypto"
import { Data } from "effect"

export class NeedsToken extends Data.TaggedError("NeedsToken")<{ readonly message: string }> {}

export interface Policy {
  readonly host: string
  /** Required of every request when set. */
  readonly token: string | undefined
}

export const isLoopback = (host: string): boolean => host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host)

/**
 * The policy for `--host` and `--token`: a non-loopback host gets the given token or a fresh one
 * (`generate`, 32 random bytes by default); a loopback host keeps a token only when one is given.
 * An empty token is refused, it would let anyone in.
 */
export const decide = (host: string, token: string | undefined, generate: () => string = fresh): Policy => {
  if (token !== undefined && token.length < 8) throw new NeedsToken({ message: "--token must be at least 8 characters" })
  if (isLoopback(host)) return { host, token }
  return { host, token: token ?? generate() }
}

export const fresh = (): string => crypto.randomBytes(32).toString("base64url")

/** Whether a request carries the token, from its Authorization header or its `token` query parameter. */
export const allows = (policy: Policy, authorization: string | undefined, queryToken: string | undefined): boolean => {
  if (policy.token === undefined) return true
  const bearer = authorization !== undefined && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, "") : undefined
  return [bearer, queryToken].some((t) => t !== undefined && same(t, policy.token ?? ""))
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

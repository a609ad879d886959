/**
 * Parameters checked as Codex's deserializer checks them, with its messages: thread ids as its UUID
 * parser accepts them (hyphenated, any case; lower-cased for the index) and unsigned 32-bit limits.
 */
import * as RpcError from "../RpcError.js"

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export const threadId = (params: Record<string, unknown>): string => {
  const id = params["threadId"]
  if (typeof id !== "string") throw RpcError.missingField("threadId")
  if (!UUID.test(id)) throw RpcError.invalidThreadId(id)
  return id.toLowerCase()
}

/** An optional `u32` parameter: absent or null is undefined; anything else must fit. */
export const u32 = (params: Record<string, unknown>, name: string): number | undefined => {
  const v = params[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "number") throw RpcError.invalidRequest(`Invalid request: invalid type: ${JSON.stringify(v)}, expected u32`)
  if (!Number.isInteger(v)) throw RpcError.invalidRequest(`Invalid request: invalid type: floating point \`${v}\`, expected u32`)
  if (v < 0 || v > 0xffffffff) throw RpcError.invalidRequest(`Invalid request: invalid value: integer \`${v}\`, expected u32`)
  return v
}

/** Thread ids as Codex's UUID parser accepts them (hyphenated, any case), lower-cased for the index. */
import * as RpcError from "../RpcError.js"

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export const threadId = (params: Record<string, unknown>): string => {
  const id = params["threadId"]
  if (typeof id !== "string") throw RpcError.missingField("threadId")
  if (!UUID.test(id)) throw RpcError.invalidThreadId(id)
  return id.toLowerCase()
}

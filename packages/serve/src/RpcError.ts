/**
 * The JSON-RPC errors this server answers, with the codes and messages `codex app-server` 0.171
 * uses for the same situations (an unknown thread, a bad cursor, a method it has not built), so a
 * client cannot tell the two apart by their failures. A tagged value; the dispatcher turns it into
 * the `error` member of a response.
 */
import { Data } from "effect"

/** Codex answers almost every refusal, including "thread not found", with -32600. */
export const INVALID_REQUEST = -32600
export const METHOD_NOT_FOUND = -32601
export const INVALID_PARAMS = -32602
export const INTERNAL_ERROR = -32603
export const PARSE_ERROR = -32700

export class RpcError extends Data.TaggedError("RpcError")<{ readonly code: number; readonly message: string }> {}

export const invalidRequest = (message: string): RpcError => new RpcError({ code: INVALID_REQUEST, message })

/** What Codex says for a well-formed thread id no rollout has. */
export const threadNotLoaded = (id: string): RpcError => invalidRequest(`thread not loaded: ${id}`)

/** What Codex says when archive, unarchive or name/set find no rollout. */
export const noRollout = (id: string): RpcError => invalidRequest(`no rollout found for thread id ${id}`)

export const noArchivedRollout = (id: string): RpcError => invalidRequest(`no archived rollout found for thread id ${id}`)

/** Codex's own words for read methods its schema names but it has not built. */
export const notSupportedYet = (method: string): RpcError => new RpcError({ code: METHOD_NOT_FOUND, message: `${method} is not supported yet` })

/** Methods that would start, steer or run a model turn. */
export const runsModels = (method: string): RpcError =>
  new RpcError({ code: METHOD_NOT_FOUND, message: `${method}: rollout serve reads recorded threads and does not run models` })

/** A change asked of a source that holds copies, not the threads' own files (the team database). */
export const readOnly = (method: string): RpcError =>
  invalidRequest(`${method}: this server shows the team database, which is read-only; make the change on the machine that pushed the thread`)

export const missingField = (field: string): RpcError => invalidRequest(`Invalid request: missing field \`${field}\``)

/**
 * A thread id Codex's UUID parser rejects, in its words: the first character outside
 * `[0-9a-fA-F-]` (1-based), else a wrong length.
 */
export const invalidThreadId = (id: string): RpcError => {
  const bad = [...id].findIndex((c) => !/[0-9a-fA-F-]/.test(c))
  const found = [...id][bad]
  const why =
    bad >= 0 && found !== undefined
      ? `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${found}\` at ${bad + 1}`
      : `invalid length: expected length 32 for simple format, found ${id.replace(/-/g, "").length}`
  return invalidRequest(`invalid thread id: ${why}`)
}

/**
 * RolloutTrace: the reducer of a Codex rollout-trace bundle into the reduced graph Codex writes
 * as `state.json` (rollout-trace spec §4.0): each `trace.jsonl` line, in file order, registers the
 * payloads it references and is applied by the handler of its type; after the last line, pending
 * spawns fall back to their child thread. A pure fold: the bundle's files come in as data
 * (`Input`), payloads are parsed only when a rule reads them, and the first error ends the replay
 * with Codex's message (no partial graph). Reading a bundle from disk is `@rollout/log/TraceBundle`.
 */
import { Result } from "effect"
import * as TraceEvent from "@rollout/protocol/TraceEvent"
import type * as TraceGraph from "@rollout/protocol/TraceGraph"
import * as TraceAcceptance from "./internal/TraceAcceptance.js"
import * as TraceCodeCells from "./internal/TraceCodeCells.js"
import * as TraceCompaction from "./internal/TraceCompaction.js"
import * as TraceEdges from "./internal/TraceEdges.js"
import { fail, isTraceReduceError, type TraceReduceError } from "./internal/TraceError.js"
import * as TraceIdentity from "./internal/TraceIdentity.js"
import * as TraceInference from "./internal/TraceInference.js"
import * as TraceState from "./internal/TraceState.js"
import * as TraceTerminals from "./internal/TraceTerminals.js"
import * as TraceThreads from "./internal/TraceThreads.js"
import * as TraceTools from "./internal/TraceTools.js"

export { TraceReduceError } from "./internal/TraceError.js"

/** A bundle as data: its manifest, its event lines in file order, and its payload files by path. */
export interface Input {
  readonly manifest: TraceEvent.TraceManifest
  readonly lines: Iterable<TraceEvent.TraceLine>
  readonly payload: TraceState.PayloadSource
}

type State = TraceState.State

/** Applies one event (§4.0.1): register its payload refs, then run its handler. */
export const apply = (s: State, e: TraceEvent.TraceEvent): void => {
  for (const ref of TraceEvent.payloadRefs(e.payload)) {
    s.graph.raw_payloads.set(ref.raw_payload_id, { raw_payload_id: ref.raw_payload_id, kind: { type: ref.kind.type }, path: ref.path })
  }
  const p = e.payload
  switch (p.type) {
    case "rollout_started":
      return TraceThreads.rolloutStarted(s, { ...e, payload: p })
    case "rollout_ended":
      return TraceThreads.rolloutEnded(s, { ...e, payload: p })
    case "thread_started":
      return TraceThreads.threadStarted(s, { ...e, payload: p })
    case "thread_ended":
      return TraceThreads.threadEnded(s, { ...e, payload: p })
    case "codex_turn_started":
      return TraceThreads.turnStarted(s, { ...e, payload: p })
    case "codex_turn_ended":
      return TraceThreads.turnEnded(s, { ...e, payload: p })
    case "inference_started":
      return TraceInference.started(s, { ...e, payload: p })
    case "inference_completed":
    case "inference_failed":
    case "inference_cancelled":
      return TraceInference.terminal(s, { ...e, payload: p })
    case "tool_call_started":
      return TraceTools.started(s, { ...e, payload: p })
    case "mcp_tool_call_correlation_assigned":
      return TraceTools.mcpCorrelation(s, { ...e, payload: p })
    case "tool_call_runtime_started":
      return TraceTools.runtimeStarted(s, { ...e, payload: p })
    case "tool_call_runtime_ended":
      return TraceTools.runtimeEnded(s, { ...e, payload: p })
    case "tool_call_ended":
      return TraceTools.ended(s, { ...e, payload: p })
    case "code_cell_started":
      return TraceCodeCells.started(s, { ...e, payload: p })
    case "code_cell_initial_response":
    case "code_cell_ended":
      return TraceCodeCells.lifecycle(s, { ...e, payload: p })
    case "compaction_request_started":
      return TraceCompaction.requestStarted(s, { ...e, payload: p })
    case "compaction_request_completed":
    case "compaction_request_failed":
      return TraceCompaction.requestEnded(s, { ...e, payload: p })
    case "compaction_installed":
      return TraceCompaction.installed(s, { ...e, payload: p })
    case "agent_result_observed":
      return TraceEdges.agentResult(s, { ...e, payload: p })
    case "protocol_event_observed":
      return
    case "history_item_accepted":
      // An accepted agent message is an item before any request shows it; then it is stamped.
      TraceIdentity.acceptAgentMessage(s, { ...e, payload: p })
      return TraceAcceptance.accepted(s, { ...e, payload: p })
    case "stdin_target_resolved":
      return TraceTerminals.stdinTargetResolved(s, { ...e, payload: p })
    case "recording_completed":
      return TraceAcceptance.recordingCompleted(s)
    case "other":
      return fail("raw trace event has no reducer implementation")
    default: {
      const never: never = p
      return never
    }
  }
}

/** Replays a bundle; the first error (in line order) is the result. */
export const reduce = (input: Input): Result.Result<TraceGraph.RolloutTrace, TraceReduceError> => {
  const s = TraceState.make(input.manifest, input.payload)
  try {
    for (const line of input.lines) {
      switch (line._tag) {
        case "Unreadable":
          fail(`read trace event line ${line.line}: ${line.reason}`)
          break
        case "Unparsable":
          fail(`parse trace event line ${line.line}: ${line.reason}`)
          break
        case "Event":
          apply(s, line.event)
          break
        default: {
          const never: never = line
          return never
        }
      }
    }
    TraceEdges.finish(s)
  } catch (error) {
    if (isTraceReduceError(error)) return Result.fail(error)
    throw error
  }
  return Result.succeed(s.graph as TraceGraph.RolloutTrace)
}

/**
 * The tool interface of the engine: a function tool the model can call, its Responses API spec, and
 * what a call may do while it runs (record lines of its own, wait through the thread's clock, see
 * pending user input). A tool returns the text of its `function_call_output`. It is not a registry
 * of built-in tools: `Engine` assembles those (sleep, multi-agent) per thread.
 */
import type { Clock } from "../Clock.js"
import type { Body } from "./Recorder.js"

export type JsonObject = { readonly [key: string]: unknown }

export interface Context {
  readonly threadId: string
  readonly turnId: string
  readonly callId: string
  readonly clock: Clock
  /** Aborted when the turn is interrupted. */
  readonly signal: AbortSignal
  /** Records one line of the thread (see `Recorder.record`). */
  readonly record: (build: Body | ((stamp: number) => Body)) => Promise<number>
  /** Whether user input is waiting to be taken into the turn. */
  readonly hasPendingInput: () => boolean
  /** Resolves when user input arrives (at once if some is waiting). */
  readonly inputArrived: () => Promise<void>
}

export interface Tool {
  readonly name: string
  readonly description: string
  /** JSON Schema of the arguments. */
  readonly parameters: JsonObject
  readonly run: (args: JsonObject, context: Context) => Promise<string>
}

/** The Responses API `tools[]` entry of a tool. */
export const spec = (tool: Tool): JsonObject => ({
  type: "function",
  name: tool.name,
  description: tool.description,
  strict: false,
  parameters: tool.parameters
})

/** Parses a call's `arguments` string; a non-object or bad JSON is an error the model sees. */
export const parseArguments = (text: string): JsonObject | string => {
  try {
    const value: unknown = JSON.parse(text === "" ? "{}" : text)
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : "arguments must be a JSON object"
  } catch (error) {
    return `failed to parse function arguments: ${error instanceof Error ? error.message : String(error)}`
  }
}

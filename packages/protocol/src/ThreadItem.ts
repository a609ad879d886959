/**
 * The app-server v2 wire shapes of a thread's history (camelCase): Turn, TurnError and every
 * ThreadItem variant, with fields declared in the order Codex 0.169 serialises them (checked
 * against recorded `thread/read` answers), so `JSON.stringify` of a value built in that order
 * matches Codex byte for byte. Nested payloads Codex passes through unchanged (MCP results,
 * review text inputs, web search results) stay opaque JSON. This is not the rollout's TurnItem
 * (PascalCase, in `TurnItem.ts`).
 */
import { Schema } from "effect"

const Json = Schema.Unknown
const NullOr = Schema.NullOr
const Str = Schema.String
const Int = Schema.Int
const NullStr = NullOr(Str)
const NullInt = NullOr(Int)

/** Every item ends with these: null in legacy replays except `sleep` and `subAgentActivity`. */
const timing = { startedAtMs: NullInt, completedAtMs: NullInt }

const item = <const Tag extends string, const Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) =>
  Schema.Struct({ type: Schema.Literal(tag), ...fields, ...timing })

export const ImageDetail = Schema.Literals(["auto", "low", "high", "original"])

/** `text_elements` / `byteRange`: Codex mixes spellings here on purpose. */
export const TextElement = Schema.Struct({
  byteRange: Schema.Struct({ start: Int, end: Int }),
  placeholder: NullStr
})
export const UserInput = Schema.Union([
  Schema.Struct({ type: Schema.Literal("text"), text: Str, text_elements: Schema.Array(TextElement) }),
  Schema.Struct({ type: Schema.Literal("image"), url: Str, detail: NullOr(ImageDetail) }),
  Schema.Struct({ type: Schema.Literal("localImage"), path: Str, detail: NullOr(ImageDetail) }),
  Schema.Struct({ type: Schema.Literal("audio"), url: Str }),
  Schema.Struct({ type: Schema.Literal("localAudio"), path: Str }),
  Schema.Struct({ type: Schema.Literal("skill"), name: Str, path: Str }),
  Schema.Struct({ type: Schema.Literal("mention"), name: Str, path: Str })
])
export type UserInput = typeof UserInput.Type

export const MemoryCitation = Schema.Struct({
  entries: Schema.Array(Schema.Struct({ path: Str, lineStart: Int, lineEnd: Int, note: Str })),
  threadIds: Schema.Array(Str)
})

export const UserMessage = item("userMessage", { id: Str, clientId: NullStr, content: Schema.Array(UserInput) })
export const HookPrompt = item("hookPrompt", {
  id: Str,
  fragments: Schema.Array(Schema.Struct({ text: Str, hookRunId: Str }))
})
/** A `show` answer's note: a helpline about the answer or the prompt (0.170). */
export const AnswerAnnotation = Schema.Struct({ kind: Schema.Literal("wellbeingHelpline"), subject: Schema.Literals(["answer", "prompt"]) })
/** Why a `block` answer is withheld (0.170). */
export const BlockReason = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("protection"), protectionType: Str }),
  Schema.Struct({ kind: Schema.Literal("cyber"), trustedAccess: Schema.optionalKey(NullOr(Schema.Boolean)) })
])
/**
 * How a client presents a recovered answer. Codex 0.170 made it a union keyed on `mode`
 * (`show` / `hide` / `block`, each `version: 1`); 0.169 wrote one flat shape with `action`.
 */
export const AgentMessageDisplay = Schema.Union([
  Schema.Struct({
    mode: Schema.Literal("show"),
    version: Schema.Literal(1),
    trustedContacts: Schema.Literals(["check", "skip"]),
    annotation: Schema.optionalKey(NullOr(AnswerAnnotation))
  }),
  Schema.Struct({ mode: Schema.Literal("hide"), version: Schema.Literal(1), replacement: Schema.Struct({ kind: Schema.Literal("wellbeingPromptHelpline") }) }),
  Schema.Struct({ mode: Schema.Literal("block"), version: Schema.Literal(1), reason: BlockReason }),
  Schema.Struct({
    action: Str,
    blockType: Schema.optionalKey(NullStr),
    checkTrustedContacts: Schema.optionalKey(NullOr(Schema.Boolean)),
    cyberTrustedAccess: Schema.optionalKey(NullOr(Schema.Boolean))
  })
])
export const AgentMessageModeration = Schema.Struct({ moderated: Schema.Boolean, display: Schema.optionalKey(NullOr(AgentMessageDisplay)) })

export const AgentMessage = item("agentMessage", {
  moderation: NullOr(AgentMessageModeration),
  id: Str,
  text: Str,
  /** snake_case values on the wire (`final_answer`). */
  phase: NullOr(Schema.Literals(["commentary", "final_answer"])),
  memoryCitation: NullOr(MemoryCitation),
  delivery: Json,
  questions: Json
})
export const Plan = item("plan", { id: Str, text: Str })
export const Reasoning = item("reasoning", { id: Str, summary: Schema.Array(Str), content: Schema.Array(Str) })

export const CommandAction = Schema.Union([
  Schema.Struct({ type: Schema.Literal("read"), command: Str, name: Str, path: Str }),
  Schema.Struct({ type: Schema.Literal("listFiles"), command: Str, path: NullStr }),
  Schema.Struct({ type: Schema.Literal("search"), command: Str, query: NullStr, path: NullStr }),
  Schema.Struct({ type: Schema.Literal("unknown"), command: Str })
])
export const ToolStatus = Schema.Literals(["inProgress", "completed", "failed", "declined"])
export const CommandExecution = item("commandExecution", {
  id: Str,
  pluginId: NullStr,
  scriptPath: NullStr,
  command: Str,
  cwd: Str,
  processId: NullStr,
  source: Schema.Literals(["agent", "userShell", "unifiedExecStartup", "unifiedExecInteraction"]),
  status: ToolStatus,
  commandActions: Schema.Array(CommandAction),
  aggregatedOutput: NullStr,
  exitCode: NullInt,
  durationMs: NullInt
})

export const PatchChangeKind = Schema.Union([
  Schema.Struct({ type: Schema.Literal("add") }),
  Schema.Struct({ type: Schema.Literal("delete") }),
  Schema.Struct({ type: Schema.Literal("update"), move_path: NullStr })
])
export const FileUpdateChange = Schema.Struct({ path: Str, kind: PatchChangeKind, diff: Str })
export const FileChange = item("fileChange", { id: Str, changes: Schema.Array(FileUpdateChange), status: ToolStatus })

export const McpAppContext = Schema.Struct({
  connectorId: Str,
  linkId: NullStr,
  resourceUri: NullStr,
  appName: NullStr,
  actionName: NullStr
})
export const McpToolCall = item("mcpToolCall", {
  id: Str,
  server: Str,
  /** Codex 0.171 (null in every replay seen); older answers lack it. */
  environmentId: Schema.optionalKey(NullStr),
  tool: Str,
  status: Schema.Literals(["inProgress", "completed", "failed"]),
  arguments: Json,
  appContext: NullOr(McpAppContext),
  /** Omitted when absent (deprecated). */
  mcpAppResourceUri: Schema.optionalKey(Str),
  /** Codex 0.169 writes it (null when absent; opaque otherwise); older answers lack it. */
  mcpAppUi: Schema.optionalKey(Json),
  pluginId: NullStr,
  readOnlyHint: NullOr(Schema.Boolean),
  result: NullOr(Schema.Struct({ content: Schema.Array(Json), structuredContent: Json, _meta: Json })),
  error: NullOr(Schema.Struct({ message: Str })),
  durationMs: NullInt
})
export const DynamicToolCall = item("dynamicToolCall", {
  id: Str,
  namespace: NullStr,
  tool: Str,
  arguments: Json,
  status: Schema.Literals(["inProgress", "completed", "failed"]),
  contentItems: NullOr(Schema.Array(Json)),
  success: NullOr(Schema.Boolean),
  durationMs: NullInt
})
export const CollabAgentState = Schema.Struct({
  status: Schema.Literals(["pendingInit", "running", "interrupted", "completed", "errored", "shutdown", "notFound"]),
  message: NullStr
})
export const CollabAgentToolCall = item("collabAgentToolCall", {
  id: Str,
  tool: Schema.Literals(["spawnAgent", "sendInput", "resumeAgent", "wait", "closeAgent"]),
  status: Schema.Literals(["inProgress", "completed", "failed"]),
  senderThreadId: Str,
  receiverThreadIds: Schema.Array(Str),
  prompt: NullStr,
  model: NullStr,
  reasoningEffort: NullStr,
  agentsStates: Schema.Record(Str, CollabAgentState)
})
export const SubAgentActivity = item("subAgentActivity", {
  id: Str,
  kind: Schema.Literals(["started", "interacted", "interrupted", "completed"]),
  agentThreadId: Str,
  agentPath: Str,
  model: NullStr,
  reasoningEffort: NullStr
})
export const WebSearch = item("webSearch", { id: Str, query: Str, action: Json, results: Json })
export const ImageView = item("imageView", { id: Str, path: Str })
export const Sleep = item("sleep", { id: Str, durationMs: Int })
export const ImageGeneration = item("imageGeneration", {
  id: Str,
  status: Str,
  revisedPrompt: NullStr,
  result: Str,
  transparentBackground: NullOr(Schema.Boolean),
  /** Codex 0.169 writes it (null unless the generation failed; opaque); older answers lack it. */
  failure: Schema.optionalKey(Json),
  /** Omitted when absent. */
  savedPath: Schema.optionalKey(Str),
  /** Codex 0.169 writes it (null when absent); older answers lack it. */
  generationId: Schema.optionalKey(Json)
})
export const EnteredReviewMode = item("enteredReviewMode", { id: Str, review: Str })
export const ExitedReviewMode = item("exitedReviewMode", { id: Str, review: Str })
export const ContextCompaction = item("contextCompaction", { id: Str })

export const ThreadItem = Schema.Union([
  UserMessage,
  HookPrompt,
  AgentMessage,
  Plan,
  Reasoning,
  CommandExecution,
  FileChange,
  McpToolCall,
  DynamicToolCall,
  CollabAgentToolCall,
  SubAgentActivity,
  WebSearch,
  ImageView,
  Sleep,
  ImageGeneration,
  EnteredReviewMode,
  ExitedReviewMode,
  ContextCompaction
])
export type ThreadItem = typeof ThreadItem.Type
/** The item of one `type`. */
export type Of<T extends ThreadItem["type"]> = Extract<ThreadItem, { readonly type: T }>

/** v2 CodexErrorInfo: unit variants as camelCase strings, data variants as one camelCase key. */
export const CodexErrorInfo = Json

/**
 * The variants v2's CodexErrorInfo enum has (Codex 0.171's generated schema; 0.169 and 0.170 lack
 * `bioPolicy`). The enum is closed: Codex answers `other` for a core value it does not list.
 */
export const CodexErrorInfoUnits: ReadonlySet<string> = new Set([
  "contextWindowExceeded",
  "sessionBudgetExceeded",
  "usageLimitExceeded",
  "rateLimitExceeded",
  "flexUnavailable",
  "serverOverloaded",
  "modelNotFound",
  "policyCapacityUnavailable",
  "cyberPolicy",
  "bioPolicy",
  "misalignmentPolicyViolation",
  "tooManyDenials",
  "internalServerError",
  "unauthorized",
  "badRequest",
  "threadRollbackFailed",
  "sandboxError",
  "other",
  "inferenceHookDenied"
])
export const CodexErrorInfoData: ReadonlySet<string> = new Set([
  "httpConnectionFailed",
  "responseStreamConnectionFailed",
  "responseStreamDisconnected",
  "responseTooManyFailedAttempts",
  "activeTurnNotSteerable"
])
export const TurnError = Schema.Struct({
  message: Str,
  codexErrorInfo: CodexErrorInfo,
  additionalDetails: NullStr,
  misalignment: Json
})
export type TurnError = typeof TurnError.Type

export const TurnStatus = Schema.Literals(["completed", "interrupted", "failed", "inProgress"])
export type TurnStatus = typeof TurnStatus.Type
export const ItemsView = Schema.Literals(["notLoaded", "summary", "full"])

export const Turn = Schema.Struct({
  id: Str,
  rootTurnId: NullStr,
  items: Schema.Array(ThreadItem),
  itemsView: ItemsView,
  status: TurnStatus,
  error: NullOr(TurnError),
  startedAt: NullInt,
  completedAt: NullInt,
  durationMs: NullInt
})
export type Turn = typeof Turn.Type

export const ThreadStatus = Schema.Union([
  Schema.Struct({ type: Schema.Literal("notLoaded") }),
  Schema.Struct({ type: Schema.Literal("idle") }),
  Schema.Struct({ type: Schema.Literal("systemError") }),
  Schema.Struct({ type: Schema.Literal("active"), activeFlags: Schema.Array(Str) })
])

/** `thread/read`'s `thread`, fields in Codex 0.169's order. */
export const Thread = Schema.Struct({
  id: Str,
  environments: Json,
  extra: Json,
  sessionId: Str,
  forkedFromId: NullStr,
  attachedToThreadId: NullStr,
  parentThreadId: NullStr,
  preview: Str,
  ephemeral: Schema.Boolean,
  section: Json,
  sectionEnteredAt: NullInt,
  projectId: NullStr,
  historyMode: Str,
  modelProvider: Str,
  model: NullStr,
  reasoningEffort: NullStr,
  createdAt: Int,
  updatedAt: Int,
  recencyAt: Int,
  status: ThreadStatus,
  path: NullStr,
  cwd: Str,
  cliVersion: Str,
  originator: Str,
  source: Json,
  canAcceptDirectInput: NullOr(Schema.Boolean),
  threadSource: Json,
  agentNickname: NullStr,
  agentRole: NullStr,
  gitInfo: Json,
  name: NullStr,
  daybreakEnabled: NullOr(Schema.Boolean),
  turns: Schema.Array(Turn)
})
export type Thread = typeof Thread.Type

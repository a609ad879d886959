/**
 * Flags shared by several commands, so that each is spelled and explained once.
 */
import * as os from "node:os"
import * as nodePath from "node:path"
import { Config } from "effect"
import { Flag } from "effect/cli"

export const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print exactly one JSON document on stdout (the contract in docs); diagnostics go to stderr."),
  Flag.withDefault(false)
)

export const codexHome = Flag.String("codex-home").pipe(
  Flag.withMetavar("DIR"),
  Flag.withDescription("The Codex home holding sessions/ and archived_sessions/. Default: $CODEX_HOME, else ~/.codex."),
  Flag.withFallbackConfig(Config.String("CODEX_HOME")),
  Flag.withDefault(nodePath.join(os.homedir(), ".codex")),
  Flag.map((dir) => nodePath.resolve(dir))
)

/**
 * The per-user cache folder where this tool keeps what it can always rebuild (the index of a
 * home, statistics of files already read): `$XDG_CACHE_HOME/rollout`, else the platform's
 * (`~/Library/Caches/rollout` on macOS, `%LOCALAPPDATA%\rollout` on Windows, `~/.cache/rollout`).
 * Read from the environment the way `os.homedir()` reads `$HOME`.
 */
import * as os from "node:os"
import * as nodePath from "node:path"

export const dir = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const xdg = env["XDG_CACHE_HOME"]
  if (xdg !== undefined && nodePath.isAbsolute(xdg)) return nodePath.join(xdg, "rollout")
  if (process.platform === "darwin") return nodePath.join(os.homedir(), "Library", "Caches", "rollout")
  const local = env["LOCALAPPDATA"]
  if (process.platform === "win32" && local !== undefined) return nodePath.join(local, "rollout")
  return nodePath.join(os.homedir(), ".cache", "rollout")
}

/**
 * The `userAgent` Codex answers `initialize` with: `<client>/<version> (<OS> <version>; <arch>)
 * <terminal> (<client>; <client version>)`. This server speaks Codex 0.171's protocol, so it gives
 * that version; the OS part follows Codex's reading of /etc/os-release (`Debian 12.0.0`).
 */
import * as fs from "node:fs"
import * as os from "node:os"

export const PROTOCOL_VERSION = "0.171.0"

const osRelease = (): string => {
  try {
    const text = fs.readFileSync("/etc/os-release", "utf8")
    const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, "m").exec(text)?.[1]
    const id = field("ID") ?? "linux"
    const version = (field("VERSION_ID") ?? "").split(".")
    while (version.length < 3) version.push("0")
    return `${id.charAt(0).toUpperCase()}${id.slice(1)} ${version.join(".")}`
  } catch {
    return `${os.type()} ${os.release()}`
  }
}

const arch = (): string => (process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch)

export const make = (client: { readonly name?: unknown; readonly version?: unknown }): string => {
  const name = typeof client.name === "string" ? client.name : "unknown"
  const version = typeof client.version === "string" ? client.version : ""
  return `${name}/${PROTOCOL_VERSION} (${osRelease()}; ${arch()}) unknown (${name}; ${version})`
}

export const platform = (): { readonly platformFamily: string; readonly platformOs: string } => ({
  platformFamily: process.platform === "win32" ? "windows" : "unix",
  platformOs: process.platform === "darwin" ? "macos" : process.platform
})

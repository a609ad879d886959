/**
 * Codex processes started by the oracle, each in its own process group: the npm launcher is a
 * Node wrapper around the native binary on Node 20 (no `process.execve`), so killing only the
 * wrapper would orphan Codex. Every tracked group is killed when the test process exits.
 */
import type * as ChildProcess from "node:child_process"

const live = new Set<number>()

const killGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

process.once("exit", () => live.forEach((pid) => killGroup(pid, "SIGKILL")))

/**
 * Registers a child spawned with `detached: true`; returns a function that kills its whole group
 * (idempotent, also safe after the child has exited).
 */
export const track = (child: ChildProcess.ChildProcess): ((signal?: NodeJS.Signals) => void) => {
  const pid = child.pid
  if (pid === undefined) return () => {}
  live.add(pid)
  return (signal = "SIGKILL") => {
    killGroup(pid, signal)
    live.delete(pid)
  }
}

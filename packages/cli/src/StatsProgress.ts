/**
 * The progress bar `rollout stats` draws on stderr while it reads files (only when stderr is a
 * terminal and `--quiet` is not given): redrawn at most ten times a second, cleared by `done`.
 * Shared by the command and its quick path; it writes through the function it is given.
 */

const BAR = 30

export interface Bar {
  readonly update: (n: number, total: number) => void
  readonly done: () => void
}

export const make = (write: (s: string) => void): Bar => {
  let last = 0
  let shown = false
  return {
    update: (n, total) => {
      const now = Date.now()
      if (n < total && now - last < 100) return
      last = now
      const filledBars = Math.round((n / Math.max(1, total)) * BAR)
      write(`\r[${"#".repeat(filledBars)}${" ".repeat(BAR - filledBars)}] ${n}/${total} files`)
      shown = true
    },
    done: () => {
      if (shown) write(`\r${" ".repeat(BAR + 30)}\r`)
    }
  }
}

/**
 * How the index commands report a refresh on stderr: a progress bar once a refresh takes more than
 * a moment (only to a person at a terminal), and each file that cannot be indexed on a line of its
 * own. Shared by the full commands (`IndexStore`) and the search quick path (`SearchQuick`); it
 * loads neither the CLI framework nor Effect.
 */
import type * as Refresh from "@rollout/store/Refresh"
import * as RefreshDiagnostic from "@rollout/store/RefreshDiagnostic"
import * as Terminal from "@rollout/view/Terminal"

export type Reporter = Refresh.Options & { readonly finish: () => void }

/** Waiting this long before drawing a bar keeps quick refreshes silent. */
const PROGRESS_AFTER_MS = 700

/** Refresh options drawing a progress bar on stderr once a refresh takes more than a moment. */
export const progress = (stderr: (text: string) => void): Reporter => {
  const started = Date.now()
  let drawn = false
  let lastDraw = 0
  return {
    onProgress: ({ done, total }) => {
      const now = Date.now()
      if (total === 0 || now - started < PROGRESS_AFTER_MS || (now - lastDraw < 100 && done < total)) return
      lastDraw = now
      drawn = true
      const width = 30
      const filled = Math.round((done / total) * width)
      stderr(`\rindexing rollouts [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`)
    },
    onDiagnostic: (d) => stderr(`${drawn ? "\n" : ""}rollout: ${Terminal.field(RefreshDiagnostic.format(d))}\n`),
    finish: () => {
      if (drawn) stderr("\n")
    }
  }
}

/** Refresh options without a bar: only what could not be indexed, one line each. */
export const quietly = (stderr: (text: string) => void): Reporter => ({
  onDiagnostic: (d) => stderr(`rollout: ${Terminal.field(RefreshDiagnostic.format(d))}\n`),
  finish: () => {}
})

/** The bar for a person at a terminal who did not ask for quiet, else only the diagnostics. */
export const choose = (stderr: (text: string) => void, stderrIsTTY: boolean, quiet: boolean): Reporter =>
  stderrIsTTY && !quiet ? progress(stderr) : quietly(stderr)

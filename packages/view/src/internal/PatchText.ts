/**
 * Patches as unified-diff text, the form every diff highlighter and GitHub's `diff` fence read.
 * Codex's `apply_patch` input (`*** Begin Patch`, `*** Update File: p`, `@@`, `+`/`-` lines) maps
 * almost line for line: the file headers become `---`/`+++` lines and the envelope goes. A file
 * added whole (a `fileChange` of kind `add`, whose diff is the new content) becomes `+` lines.
 */

const HEADER = /^\*\*\* (Add|Update|Delete) File: (.*)$/
const MOVE = /^\*\*\* Move to: (.*)$/

/** An `apply_patch` input as a unified diff; text that is not one is returned unchanged. */
export const fromPatch = (patch: string): string => {
  if (!patch.trimStart().startsWith("*** Begin Patch")) return patch
  const out: Array<string> = []
  for (const line of patch.split("\n")) {
    if (line === "*** Begin Patch" || line === "*** End Patch" || line === "*** End of File") continue
    const h = HEADER.exec(line)
    if (h !== null) {
      const [, kind, path] = h
      out.push(kind === "Add" ? "--- /dev/null" : `--- a/${path}`, kind === "Delete" ? "+++ /dev/null" : `+++ b/${path}`)
      continue
    }
    const m = MOVE.exec(line)
    if (m !== null) {
      out[out.length - 1] = `+++ b/${m[1]}`
      continue
    }
    out.push(line)
  }
  return out.join("\n").replace(/\n+$/, "\n")
}

/** The diff a `fileChange` change shows: as written, or the new file's lines as additions. */
export const ofChange = (kind: string, diff: string): string =>
  kind === "add" && !/^(@@|---|\+\+\+|[+-])/m.test(diff.split("\n", 1)[0] ?? "")
    ? diff
        .replace(/\n$/, "")
        .split("\n")
        .map((l) => `+${l}`)
        .join("\n")
    : diff

/** The paths an `apply_patch` input touches, in order. */
export const paths = (patch: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const line of patch.split("\n")) {
    const h = HEADER.exec(line)
    if (h?.[2] !== undefined) out.push(h[2])
  }
  return out
}

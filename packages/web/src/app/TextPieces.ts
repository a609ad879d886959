/**
 * A long text cut into pieces a page can draw one by one: each ends at a line end once it holds
 * `at` characters, or at `most` characters when no line ends before (never inside a surrogate
 * pair). Joined, the pieces are the text. A `<pre>` of 20 MB drawn as one text node took Chromium
 * over a minute to lay out; drawn as pieces the browser may skip while off screen
 * (`content-visibility: auto`), well under a second.
 */
export const split = (text: string, at = 1 << 16, most = 1 << 20): Array<string> => {
  const pieces: Array<string> = []
  let start = 0
  while (start < text.length) {
    let end = text.length
    if (end - start > at) {
      const nl = text.indexOf("\n", start + at - 1)
      end = nl >= 0 && nl < start + most ? nl + 1 : Math.min(text.length, start + most)
      // A high surrogate at the cut keeps its pair together.
      const code = text.charCodeAt(end - 1)
      if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++
    }
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}

/** How many lines a piece holds, for the height it is given while not drawn. */
export const lines = (piece: string): number => {
  let n = 1
  for (let i = piece.indexOf("\n"); i >= 0 && i < piece.length - 1; i = piece.indexOf("\n", i + 1)) n++
  return n
}

/**
 * Which link targets an exported document may keep live. A rollout's text is untrusted: a
 * Markdown link `[x](javascript:…)` in an agent message would run script in a viewer that renders
 * it. Only `http:`, `https:` and `mailto:` links, relative references, and `data:` URLs that are
 * base64 images stay links; every other scheme (`javascript:`, `vbscript:`, `file:`, `data:text/html`)
 * is made inert text by the Markdown writer.
 */

const SAFE_SCHEMES = new Set(["http", "https", "mailto"])

const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp|avif|bmp);base64,[A-Za-z0-9+/=\s]*$/i

// Browsers drop ASCII whitespace and control characters inside a scheme (`java\tscript:`), and
// entities are decoded before the URL is read (`javascript&#58;`), so the check runs on the
// target as a viewer would see it.
const normalise = (url: string): string =>
  url
    .replace(/&#(x[0-9a-f]+|\d+);?/gi, (_, n: string) => {
      const code = n[0] === "x" || n[0] === "X" ? parseInt(n.slice(1), 16) : parseInt(n, 10)
      return code <= 0x10ffff ? String.fromCodePoint(code) : ""
    })
    .replace(/&colon;/gi, ":")
    .replace(/[\u0000-\u0020\u007f-\u009f]/g, "")

/** The scheme of `url` in lower case, or undefined for a relative reference. */
export const scheme = (url: string): string | undefined => {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(normalise(url))
  return m?.[1]?.toLowerCase()
}

/** Whether a document may keep `url` as a live link or image source. */
export const isSafe = (url: string): boolean => {
  const s = scheme(url)
  if (s === undefined) return !/^[^/?#]*:/.test(normalise(url))
  if (s === "data") return DATA_IMAGE.test(normalise(url))
  return SAFE_SCHEMES.has(s)
}

/**
 * A byte count as people read it: binary units with one decimal, since sizes here span a few bytes
 * to hundreds of gigabytes. Its own module, with no import, so the commands that print sizes (`info`,
 * `ls`, `trim`) do not load one another and the web page and its server say sizes the same way.
 */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const

/** `b` bytes as `512 B`, `1.5 KiB`, `2.0 GiB`. */
export const text = (b: number): string => {
  let v = b
  let u = 0
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${b} B` : `${v.toFixed(1)} ${UNITS[u]}`
}

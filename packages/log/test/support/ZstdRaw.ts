/**
 * A minimal zstd *encoder* for tests: one frame of raw (stored) blocks. The output is a valid zstd
 * stream any decoder accepts; it does not compress. Real compressed files are covered by the
 * fixture made with the zstd tool.
 */
export const encode = (data: Uint8Array, BLOCK = 1 << 17): Uint8Array => {
  const parts: Array<Uint8Array> = [Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38)] // magic, no FCS, window 2^17
  if (data.length === 0) parts.push(Uint8Array.of(0x01, 0x00, 0x00))
  for (let i = 0; i < data.length; i += BLOCK) {
    const block = data.subarray(i, Math.min(i + BLOCK, data.length))
    const last = i + BLOCK >= data.length ? 1 : 0
    const header = (block.length << 3) | last // block type 0 = raw
    parts.push(Uint8Array.of(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff), block)
  }
  return Buffer.concat(parts)
}

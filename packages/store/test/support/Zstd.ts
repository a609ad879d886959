// A minimal zstd encoder for tests (one frame of raw blocks, no compression): any decoder accepts it.
export const encode = (data: Uint8Array, BLOCK = 1 << 17): Uint8Array => {
  const parts: Array<Uint8Array> = [Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38)]
  if (data.length === 0) parts.push(Uint8Array.of(0x01, 0x00, 0x00))
  for (let i = 0; i < data.length; i += BLOCK) {
    const block = data.subarray(i, Math.min(i + BLOCK, data.length))
    const header = (block.length << 3) | (i + BLOCK >= data.length ? 1 : 0)
    parts.push(Uint8Array.of(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff), block)
  }
  return Buffer.concat(parts)
}

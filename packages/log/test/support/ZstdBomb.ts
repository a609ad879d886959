/**
 * A `.jsonl.zst` decompression bomb built by hand, so tests need no `zstd` command: one zstd frame
 * whose lines are raw blocks (the JSON around a long string) and RLE blocks (the string: one byte
 * repeated 128 KiB per 4-byte block), so `lines` lines of 1 MiB take about 100 bytes each.
 */
const MAGIC = [0x28, 0xb5, 0x2f, 0xfd]
// No checksum, no dictionary, no content size, not single-segment; window 2^(10+7) = 128 KiB.
const HEADER = [0x00, 7 << 3]
const RLE_SIZE = 128 << 10

const blockHeader = (last: boolean, type: 0 | 1, size: number): Array<number> => {
  const v = (last ? 1 : 0) | (type << 1) | (size << 3)
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff]
}

const raw = (text: string, last = false): Array<number> => {
  const bytes = [...Buffer.from(text)]
  return [...blockHeader(last, 0, bytes.length), ...bytes]
}

const rle = (byte: number): Array<number> => [...blockHeader(false, 1, RLE_SIZE), byte]

/** `lines` JSONL lines of a little over 1 MiB each (an agent message of `x`s), zstd-compressed. */
export const bomb = (lines: number): Buffer => {
  const out: Array<number> = [...MAGIC, ...HEADER]
  for (let i = 0; i < lines; i++) {
    out.push(...raw('{"type":"event_msg","payload":{"type":"agent_message","message":"'))
    for (let k = 0; k < 8; k++) out.push(...rle(0x78))
    out.push(...raw('"}}\n', i === lines - 1))
  }
  return Buffer.from(out)
}

/**
 * Draws the app icons (a speech bubble) as PNGs with node:zlib: color.png 192x192 on the accent
 * colour, outline.png 32x32 white on transparent, as Teams requires. `npx tsx appPackage/icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An RGBA PNG from a pixel function. */
export function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Inside the bubble: a rounded rectangle with a tail at the bottom left (coordinates 0..1). */
function bubble(u: number, v: number): boolean {
  const inRect = u > 0.18 && u < 0.82 && v > 0.22 && v < 0.66;
  const r = 0.1;
  const cx = Math.min(Math.max(u, 0.18 + r), 0.82 - r);
  const cy = Math.min(Math.max(v, 0.22 + r), 0.66 - r);
  const rounded = inRect && (u - cx) ** 2 + (v - cy) ** 2 <= r * r + 1e-9;
  const tail = v >= 0.6 && v < 0.82 && u > 0.3 && u < 0.3 + (0.82 - v) * 0.9;
  return rounded || tail;
}

export function colorIcon(): Buffer {
  return png(192, (x, y) => (bubble((x + 0.5) / 192, (y + 0.5) / 192) ? [255, 255, 255, 255] : [0x4f, 0x52, 0xb2, 255]));
}

export function outlineIcon(): Buffer {
  return png(32, (x, y) => (bubble((x + 0.5) / 32, (y + 0.5) / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

if (process.argv[1]?.endsWith('icons.ts')) {
  writeFileSync(join(__dirname, 'color.png'), colorIcon());
  writeFileSync(join(__dirname, 'outline.png'), outlineIcon());
  console.log('wrote appPackage/color.png and appPackage/outline.png');
}

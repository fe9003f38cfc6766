#!/usr/bin/env node
// Draws the menu-bar icon, `resources/trayTemplate.png` (16x16) and
// `resources/trayTemplate@2x.png` (32x32): three rising bars, black on a
// transparent background. macOS treats a file whose name ends in `Template`
// as a template image and recolours it for light and dark menu bars, so the
// icon must contain only black and alpha. Run `node scripts/drawTrayIcons.mjs`
// after changing the shapes below and commit the PNGs.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');

/** Bars in 16-point icon units: x, y of the top-left corner, width, height. */
const bars = [
  { x: 1.5, y: 9, width: 3.5, height: 5.5 },
  { x: 6.25, y: 5.5, width: 3.5, height: 9 },
  { x: 11, y: 1.5, width: 3.5, height: 13 },
];

/** Samples per pixel side; edge pixels get an alpha equal to the covered fraction. */
const supersampling = 4;

for (const [scale, name] of [
  [1, 'trayTemplate.png'],
  [2, 'trayTemplate@2x.png'],
]) {
  const size = 16 * scale;
  const file = path.join(root, 'resources', name);
  fs.writeFileSync(file, encodePng(size, size, drawAlpha(size, scale)));
  console.log(`wrote ${path.relative(root, file)} (${size}x${size})`);
}

/** Returns one alpha byte per pixel, row by row. */
function drawAlpha(size, scale) {
  const alpha = new Uint8Array(size * size);
  const step = 1 / supersampling;

  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < supersampling; sy++) {
        for (let sx = 0; sx < supersampling; sx++) {
          const x = (px + (sx + 0.5) * step) / scale;
          const y = (py + (sy + 0.5) * step) / scale;
          if (bars.some((bar) => x >= bar.x && x < bar.x + bar.width && y >= bar.y && y < bar.y + bar.height)) covered++;
        }
      }
      alpha[py * size + px] = Math.round((255 * covered) / (supersampling * supersampling));
    }
  }

  return alpha;
}

/** Encodes an 8-bit RGBA PNG whose colour is black everywhere and whose alpha is `alpha`. */
function encodePng(width, height, alpha) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type RGBA
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace

  // Each scanline starts with filter type 0 (none), then R, G, B, A per pixel.
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const rowStart = y * (1 + width * 4);
    for (let x = 0; x < width; x++) raw[rowStart + 1 + x * 4 + 3] = alpha[y * width + x];
  }

  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);

  return Buffer.concat([length, typeAndData, crc]);
}

/** CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320). */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }

  return (crc ^ 0xffffffff) >>> 0;
}

// What the page draws from a grid of values: their range, the heat map's pixels and the contour segments.
// Values are float64, n x n, rows along y (row 0 at the bottom).

import { viridis } from "./colors.js";
import { niceTicks } from "./numbers.js";

export const CONTOUR_LEVELS = 12;

// The smallest and largest finite values, and how many values are infinite or NaN.
export function summarise(values) {
  let min = Infinity;
  let max = -Infinity;
  let infinite = 0;
  let nan = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v === 0) {
      if (v < min) min = v;
      if (v > max) max = v;
    } else if (Number.isNaN(v)) nan++;
    else infinite++;
  }
  if (min > max) [min, max] = [0, 0];
  return { min, max, infinite, nan };
}

// Viridis as 32-bit RGBA words (little-endian byte order, as every browser's typed arrays use).
const PALETTE = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  PALETTE[i] = (255 << 24) | (viridis[3 * i + 2] << 16) | (viridis[3 * i + 1] << 8) | viridis[3 * i];
}

// RGBA pixels, the top row first (largest y), viridis from min to max; infinite and NaN values are transparent.
// Halves keep max - min finite when the values span more than the largest double (-1e308 to 1e308).
export function colourise(values, n, min, max) {
  const rgba = new Uint8ClampedArray(4 * n * n);
  const words = new Uint32Array(rgba.buffer);
  const half = min / 2;
  const scale = max > min ? 255 / (max / 2 - half) : 0;
  for (let row = 0; row < n; row++) {
    const target = (n - 1 - row) * n;
    const source = row * n;
    for (let col = 0; col < n; col++) {
      const v = values[source + col];
      if (!(v - v === 0)) continue;
      const i = ((v / 2 - half) * scale + 0.5) | 0;
      words[target + col] = PALETTE[i < 0 ? 0 : i > 255 ? 255 : i];
    }
  }
  return rgba;
}

// Contour segments by marching squares, every level in one pass: [col0, row0, col1, row1, ...] in grid units
// (fractional column and row). Each value is first given its band, the number of levels at or below it, so a cell whose four corners share a band, most of them, has no crossing and is passed over
// with four comparisons; otherwise only the levels between its bands are traced.
export function contourSegments(values, n, levels) {
  const out = [];
  const count = levels.length;
  if (count === 0) return new Float32Array(0);
  const first = levels[0];
  const step = count > 1 ? (levels[count - 1] - first) / (count - 1) : 1;
  const band = new Int32Array(n * n);
  for (let i = 0; i < band.length; i++) {
    const v = values[i];
    if (!(v - v === 0)) {
      band[i] = -1;
      continue;
    }
    // A guess from the (nearly) even spacing, then made exact against the levels themselves.
    let k = Math.floor((v - first) / step) + 1;
    k = k < 0 ? 0 : k > count ? count : k;
    while (k > 0 && levels[k - 1] > v) k--;
    while (k < count && levels[k] <= v) k++;
    band[i] = k;
  }
  for (let row = 0; row + 1 < n; row++) {
    for (let col = 0; col + 1 < n; col++) {
      const i = row * n + col;
      const ba = band[i];
      const bb = band[i + 1];
      const bc = band[i + n + 1];
      const bd = band[i + n];
      if (ba === bb && bb === bc && bc === bd) continue;
      if (ba < 0 || bb < 0 || bc < 0 || bd < 0) continue;
      const to = Math.max(ba, bb, bc, bd);
      const a = values[i];
      const b = values[i + 1];
      const c = values[i + n + 1];
      const d = values[i + n];
      for (let k = Math.min(ba, bb, bc, bd); k < to; k++) cell(out, levels[k], col, row, a, b, c, d);
    }
  }
  return Float32Array.from(out);
}

const CROSS_X = new Float64Array(4);
const CROSS_Y = new Float64Array(4);

// The segments of one level in one cell, from its crossings on edges ab, bc, cd, da (corners counter-clockwise
// from (col, row)). Written without temporaries: this runs for every cell a contour line passes through.
function cell(out, level, col, row, a, b, c, d) {
  const la = a < level;
  const lb = b < level;
  const lc = c < level;
  const ld = d < level;
  let count = 0;
  if (la !== lb) {
    CROSS_X[count] = col + (level - a) / (b - a);
    CROSS_Y[count++] = row;
  }
  if (lb !== lc) {
    CROSS_X[count] = col + 1;
    CROSS_Y[count++] = row + (level - b) / (c - b);
  }
  if (lc !== ld) {
    CROSS_X[count] = col + 1 - (level - c) / (d - c);
    CROSS_Y[count++] = row + 1;
  }
  if (ld !== la) {
    CROSS_X[count] = col;
    CROSS_Y[count++] = row + 1 - (level - d) / (a - d);
  }
  if (count === 2) out.push(CROSS_X[0], CROSS_Y[0], CROSS_X[1], CROSS_Y[1]);
  else if (count === 4) {
    // A saddle cell: keep the corners on the centre's side joined.
    if ((a + b + c + d) / 4 < level === la) {
      out.push(CROSS_X[0], CROSS_Y[0], CROSS_X[1], CROSS_Y[1], CROSS_X[2], CROSS_Y[2], CROSS_X[3], CROSS_Y[3]);
    } else {
      out.push(CROSS_X[3], CROSS_Y[3], CROSS_X[0], CROSS_Y[0], CROSS_X[1], CROSS_Y[1], CROSS_X[2], CROSS_Y[2]);
    }
  }
}

// Everything the page draws from one grid.
export function describe(values, n) {
  const summary = summarise(values);
  const { ticks } = niceTicks(summary.min, summary.max, CONTOUR_LEVELS);
  return {
    ...summary,
    levels: ticks,
    rgba: colourise(values, n, summary.min, summary.max),
    segments: contourSegments(values, n, ticks),
  };
}

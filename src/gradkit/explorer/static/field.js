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

// RGBA pixels, the top row first (largest y), viridis from min to max; infinite and NaN values are transparent.
// Halves keep max - min finite when the values span more than the largest double (-1e308 to 1e308).
export function colourise(values, n, min, max) {
  const rgba = new Uint8ClampedArray(4 * n * n);
  const half = min / 2;
  const scale = max > min ? 255 / (max / 2 - half) : 0;
  for (let row = 0; row < n; row++) {
    const target = (n - 1 - row) * n;
    for (let col = 0; col < n; col++) {
      const v = values[row * n + col];
      if (!(v - v === 0)) continue;
      const o = 4 * (target + col);
      const i = 3 * Math.max(0, Math.min(255, Math.round((v / 2 - half) * scale)));
      rgba[o] = viridis[i];
      rgba[o + 1] = viridis[i + 1];
      rgba[o + 2] = viridis[i + 2];
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

// Contour segments by marching squares, every level in one pass over the cells: [col0, row0, col1, row1, ...]
// in grid units (fractional column and row). Only the levels between a cell's corners are looked at.
export function contourSegments(values, n, levels) {
  const out = [];
  if (levels.length === 0) return new Float32Array(0);
  const first = levels[0];
  const step = levels.length > 1 ? levels[1] - levels[0] : 1;
  for (let row = 0; row + 1 < n; row++) {
    for (let col = 0; col + 1 < n; col++) {
      const a = values[row * n + col];
      const b = values[row * n + col + 1];
      const c = values[(row + 1) * n + col + 1];
      const d = values[(row + 1) * n + col];
      const low = Math.min(a, b, c, d);
      const high = Math.max(a, b, c, d);
      if (!(high - low >= 0) || !Number.isFinite(high - low)) continue;
      const from = Math.max(0, Math.ceil((low - first) / step));
      const to = Math.min(levels.length - 1, Math.floor((high - first) / step));
      for (let k = from; k <= to; k++) cell(out, levels[k], col, row, a, b, c, d);
    }
  }
  return Float32Array.from(out);
}

function cell(out, level, col, row, a, b, c, d) {
  const crossings = [];
  const edge = (p, q, x0, y0, x1, y1) => {
    if ((p < level) !== (q < level)) {
      const t = (level - p) / (q - p);
      crossings.push(x0 + t * (x1 - x0), y0 + t * (y1 - y0));
    }
  };
  edge(a, b, col, row, col + 1, row);
  edge(b, c, col + 1, row, col + 1, row + 1);
  edge(c, d, col + 1, row + 1, col, row + 1);
  edge(d, a, col, row + 1, col, row);
  if (crossings.length === 4) out.push(...crossings);
  else if (crossings.length === 8) {
    // A saddle cell: crossings lie on edges ab, bc, cd, da; keep the corners on the centre's side joined.
    if ((a + b + c + d) / 4 < level === a < level) out.push(...crossings);
    else out.push(...crossings.slice(6, 8), ...crossings.slice(0, 6));
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

// Perceptually uniform colour ramps: matplotlib's viridis (17 samples) for the heat map and the upper part of
// magma (9 samples) for the arrows, interpolated linearly into 256-entry tables.

const VIRIDIS = [
  68, 1, 84, 72, 24, 106, 71, 45, 123, 66, 64, 134, 59, 82, 139, 51, 99, 141, 44, 114, 142, 38, 130, 142, 33, 145,
  140, 31, 160, 136, 40, 174, 128, 63, 188, 115, 94, 201, 98, 132, 212, 75, 173, 220, 48, 216, 226, 25, 253, 231, 37,
];
const MAGMA_UPPER = [
  120, 34, 129, 153, 45, 128, 188, 57, 120, 220, 72, 105, 242, 100, 92, 252, 138, 98, 254, 178, 122, 254, 216, 154,
  252, 253, 191,
];

function table(samples) {
  const count = samples.length / 3;
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (count - 1);
    const low = Math.min(Math.floor(position), count - 2);
    const t = position - low;
    for (let c = 0; c < 3; c++) {
      lut[3 * i + c] = Math.round(samples[3 * low + c] * (1 - t) + samples[3 * (low + 1) + c] * t);
    }
  }
  return lut;
}

export const viridis = table(VIRIDIS);
export const magma = table(MAGMA_UPPER);

// The colour of t in [0, 1] as a CSS string.
export function css(lut, t) {
  const i = 3 * Math.max(0, Math.min(255, Math.round(t * 255)));
  return `rgb(${lut[i]}, ${lut[i + 1]}, ${lut[i + 2]})`;
}

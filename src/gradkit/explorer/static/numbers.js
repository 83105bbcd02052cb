// Numbers as people read them: round tick values, and labels with exactly as many digits as a view needs.

// "Nice" values between low and high, about `count` of them: {step, ticks}. Ticks are k * step for whole k,
// so they never drift by repeated addition, and stay distinct at any zoom float64 can resolve.
export function niceTicks(low, high, count) {
  const span = high - low;
  if (!(span > 0) || !Number.isFinite(span) || !(count >= 1)) return { step: NaN, ticks: [] };
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * magnitude;
  const first = Math.ceil(low / step - 1e-9);
  const last = Math.floor(high / step + 1e-9);
  const ticks = [];
  for (let k = first; k <= last && ticks.length < 4 * count + 2; k++) ticks.push(k === 0 ? 0 : k * step);
  return { step, ticks };
}

// Decimal places that tell multiples of `step` apart (2.5 x 10^k needs one more than 10^k).
function decimalsFor(step) {
  const exponent = Math.floor(Math.log10(step) + 1e-9);
  const mantissa = step / 10 ** exponent;
  return -exponent + (Math.abs(mantissa - Math.round(mantissa)) > 1e-6 ? 1 : 0);
}

// A tick label: plain decimals for ordinary magnitudes, otherwise scientific with as many significant digits
// as the step needs. Labels of different ticks on one axis therefore always differ.
export function tickLabel(value, step) {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const decimals = decimalsFor(step);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e6 && decimals <= 20) return value.toFixed(Math.max(0, decimals));
  const exponent = Math.floor(Math.log10(magnitude));
  const significant = Math.min(17, Math.max(1, exponent + decimals + 1));
  return scientific(value, significant);
}

function scientific(value, significant) {
  const [mantissa, exponent] = value.toExponential(significant - 1).split("e");
  return `${mantissa}e${exponent.replace("+", "")}`;
}

// A value with `digits` significant digits (fewer when they are zeros), scientific outside [1e-4, 1e6).
export function format(value, digits = 6) {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  const d = Math.max(1, Math.min(17, digits));
  if (magnitude >= 1e-4 && magnitude < 1e6) return String(Number(value.toPrecision(d)));
  return scientific(Number(value.toPrecision(d)), d).replace(/\.?0+e/, "e");
}

// Significant digits that show where a coordinate lies within a view of width `span` (to about span / 10^4).
export function digitsForSpan(value, span) {
  if (!(span > 0) || !Number.isFinite(value) || value === 0) return 6;
  return Math.max(6, Math.min(17, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(span)) + 5));
}

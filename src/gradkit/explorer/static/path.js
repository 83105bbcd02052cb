// Gradient ascent or descent (optionally with momentum) from a point, in the page: the formula's compiled
// gradient makes 10 000 steps take milliseconds, and parameters from the sliders apply without a round trip.

export const SMALLEST_GRADIENT = 1e-12;
export const FARTHEST = 1e12;

// Points and f along the way, stopping where the gradient vanishes or stops being finite, or the point runs off.
export function followGradient(f, gradient, start, { step, steps, momentum, ascent }) {
  const sign = ascent ? 1 : -1;
  let [x, y] = start;
  let vx = 0;
  let vy = 0;
  const points = [[x, y]];
  const values = [f(x, y)];
  for (let k = 0; k < steps; k++) {
    const [gx, gy] = gradient(x, y);
    if (!(Number.isFinite(gx) && Number.isFinite(gy)) || Math.hypot(gx, gy) < SMALLEST_GRADIENT) break;
    vx = momentum * vx + sign * step * gx;
    vy = momentum * vy + sign * step * gy;
    const nx = x + vx;
    const ny = y + vy;
    if (!(Number.isFinite(nx) && Number.isFinite(ny)) || Math.max(Math.abs(nx), Math.abs(ny)) > FARTHEST) break;
    [x, y] = [nx, ny];
    points.push([x, y]);
    values.push(f(x, y));
  }
  return { start, points, values };
}

// The field's worker: compiles a formula's tree once, then evaluates it on grids as the page asks: a coarse
// grid first (drawn within a frame) and then the full one, or the full one alone when it is known, or (from the
// coarse grid's time) expected, to take less than a frame. A newer request replaces one not finished yet.

import { describe } from "./field.js";
import { compileGrid } from "./tree.js";

let formula = null; // {id, evaluate, fullMs: how long its last full grid took}
const FRAME_MS = 12; // a full grid faster than this is drawn directly, without the coarse one first
let pending = null; // the latest field request, with the sizes still to compute
let scheduled = false;
const channel = new MessageChannel(); // yields to incoming messages between passes, without timer clamping

function schedule() {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(null);
}

function linspace(low, high, n) {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = low + ((high - low) * i) / (n - 1);
  values[n - 1] = high;
  return values;
}

function pass() {
  scheduled = false;
  const job = pending;
  if (!job || !formula || job.formula !== formula.id) return;
  const n = job.sizes.shift();
  if (job.sizes.length === 0) pending = null;
  else schedule();
  const started = performance.now();
  const startedAt = performance.timeOrigin + started;
  let values;
  try {
    values = formula.evaluate(linspace(...job.xlim, n), linspace(...job.ylim, n), job.env);
  } catch (error) {
    self.postMessage({ type: "error", id: job.id, message: String(error.message ?? error) });
    pending = null;
    return;
  }
  const computed = performance.now();
  if (job.sizes.length > 0) {
    // A coarse grid whose cost, scaled to the full one, fits in a frame is not worth drawing: go on at once.
    const full = job.sizes[job.sizes.length - 1];
    if ((computed - started) * 2 * (full / n) ** 2 < FRAME_MS) return;
  }
  const picture = describe(values, n);
  if (job.sizes.length === 0) formula.fullMs = performance.now() - started;
  const result = {
    type: "field", id: job.id, formula: job.formula, n, xlim: job.xlim, ylim: job.ylim, values, ...picture,
    final: job.sizes.length === 0, evaluateMs: computed - started, describeMs: performance.now() - computed,
    startedAt, postedAt: performance.timeOrigin + performance.now(),
  };
  self.postMessage(result, [values.buffer, picture.rgba.buffer, picture.segments.buffer]);
}

channel.port1.onmessage = pass;

self.onmessage = ({ data }) => {
  if (data.type === "formula") {
    try {
      formula = { id: data.id, evaluate: compileGrid(data.tree, data.letters, data.axes), fullMs: Infinity };
    } catch (error) {
      formula = null;
      self.postMessage({ type: "error", id: null, formula: data.id, message: String(error.message ?? error) });
    }
  } else if (data.type === "field") {
    const sizes = formula && formula.fullMs < FRAME_MS ? data.sizes.slice(-1) : [...data.sizes];
    pending = { ...data, sizes };
    schedule();
  }
};

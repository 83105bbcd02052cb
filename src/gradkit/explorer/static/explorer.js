// gradkit explore: the page's state and events. The server parses and differentiates a formula once
// (/api/parse); the page compiles its trees and computes everything else itself: the field in a worker
// (worker.js), the readout, arrows and paths here. Zoom, pan and sliders never wait on the network.

import { chooseAxes, gradientTrees, lettersOf, post } from "./api.js";
import {
  arrow, drawAxes, drawColorbar, drawContours, drawCurve, drawHeatMap, drawPath, drawVectors, labelsFit, layout,
  screenDirection, toData, toScreen,
} from "./draw.js";
import { mathElement, partialLabel } from "./notation.js";
import { digitsForSpan, format } from "./numbers.js";
import { downloadPicture } from "./picture.js";
import { defaultParameter, renderSliders } from "./sliders.js";
import { compilePoint } from "./tree.js";
import { pathSettingError, readQuery, writeQuery } from "./url.js";

const DEFAULT = { formula: "exp(-x^2)*exp(-y^2)", xlim: [-2, 2], ylim: [-2, 2] };
const PRESETS = [
  { name: "Gaussian", formula: "exp(-x^2)*exp(-y^2)", xlim: [-2, 2], ylim: [-2, 2], direction: "ascent", step: 0.2 },
  { name: "Saddle", formula: "x^2 - y^2", xlim: [-2, 2], ylim: [-2, 2], direction: "descent", step: 0.05 },
  // The step stays below 2 / (largest curvature in the view) (about 1/2700 here), so f falls at every step
  // from anywhere in the view; gradient descent then creeps along the curved valley, which is the lesson.
  { name: "Rosenbrock", formula: "(1 - x)^2 + 100*(y - x^2)^2", xlim: [-2, 2], ylim: [-1, 3], direction: "descent",
    step: 0.00035, steps: 10000 },
  { name: "Himmelblau", formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", xlim: [-5, 5], ylim: [-5, 5],
    direction: "descent", step: 0.01 },
  { name: "sin(x)*cos(y)", formula: "sin(x)*cos(y)", xlim: [-4, 4], ylim: [-4, 4], direction: "ascent", step: 0.2 },
  { name: "Two Gaussians", formula: "exp(-((x - 1)^2 + y^2)) + 0.8*exp(-((x + 1)^2 + (y - 0.5)^2)/0.5)",
    xlim: [-3, 3], ylim: [-3, 3], direction: "ascent", step: 0.2 },
  { name: "Tilted bowl (sliders)", formula: "a*x^2 + b*y^2 + c*x*y", xlim: [-2, 2], ylim: [-2, 2],
    direction: "descent", step: 0.05 },
];
const SIZES = [128, 512]; // a coarse grid drawn at once, then the full one
const ARROW_LENGTH = 56;
const EPSILON = 2 ** -52;
const MAX_CANVAS = 720;

const $ = (id) => document.getElementById(id);
const canvas = $("field");
const overlay = $("overlay");
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });

const state = {
  formula: DEFAULT.formula,
  xlim: [...DEFAULT.xlim],
  ylim: [...DEFAULT.ylim],
  letters: [],
  axes: ["x", "y"],
  params: new Map(),
  env: null,
  f: null,
  gradient: null,
  formulaId: 0,
  applyTicket: 0,
  requestId: 0,
  drawnId: 0,
  field: null,
  view: null,
  path: null,
  probe: null,
  pointers: new Map(),
  gesture: null,
  keepLink: false,
  cssWidth: 0,
};

// ---------- formula ----------

async function applyFormula(text, { axes = null, fromLink = false, view = null } = {}) {
  setStatus("Parsing…");
  const started = performance.now();
  // Answers can come back out of order (two quick Applies, a preset chosen meanwhile): the last asked wins.
  const ticket = ++state.applyTicket;
  const stale = () => ticket !== state.applyTicket;
  let parsed;
  let letters;
  let pair;
  let partials;
  try {
    parsed = await post("/api/parse", axes ? { formula: text, axes } : { formula: text }, { onBusy });
    if (stale()) return false;
    letters = lettersOf(text, parsed);
    if (letters.length < 2) {
      throw new Error(letters.length === 1
        ? `a map needs two letters for its axes, and this formula has only ${letters[0]}`
        : "a map needs two letters for its axes, and this formula has none");
    }
    pair = chooseAxes(letters, axes, parsed);
    partials = gradientTrees(parsed, pair);
    if (!partials && !axes) {
      // This server differentiates along the axes it is asked for: ask for these.
      parsed = await post("/api/parse", { formula: text, axes: pair }, { onBusy });
      if (stale()) return false;
      partials = gradientTrees(parsed, pair);
    }
    if (!partials) throw new Error(`the server sent no derivative along ${pair.join(" and ")}`);
    const f = compilePoint(parsed.tree, letters);
    const [gx, gy] = partials.map((tree) => compilePoint(tree, letters));
    install(text, parsed, letters, pair, f, gx, gy, partials);
  } catch (error) {
    if (!stale()) showFormulaError(text, error);
    return false;
  }
  hideFormulaError();
  if (!fromLink) state.keepLink = false;
  if (view) [state.xlim, state.ylim] = [[...view.xlim], [...view.ylim]];
  state.applyStarted = started;
  requestField();
  writeUrl();
  return true;
}

function install(text, parsed, letters, axes, f, gx, gy, partials) {
  state.formula = text;
  $("formula").value = text;
  state.letters = letters;
  state.axes = axes;
  state.env = new Float64Array(letters.length);
  const [ix, iy] = axes.map((name) => letters.indexOf(name));
  const at = (x, y) => {
    state.env[ix] = x;
    state.env[iy] = y;
    return state.env;
  };
  state.f = (x, y) => f(at(x, y));
  state.gradient = (x, y) => [gx(at(x, y)), gy(at(x, y))];
  const names = letters.filter((name) => !axes.includes(name));
  for (const name of names) if (!state.params.has(name)) state.params.set(name, defaultParameter());
  state.env.set(parameterValues());
  state.formulaId += 1;
  worker.postMessage({ type: "formula", id: state.formulaId, tree: parsed.tree, letters, axes });
  state.path = null;
  drawCurve($("path-curve"), []);
  $("path-summary").textContent = "A click on the map (or the button) starts a path.";
  showLetters(names);
  showGradient(partials);
  labelAxes();
}

function showLetters(names) {
  const box = $("letters");
  const axesShown = state.letters.length > 2 || state.axes.join() !== "x,y";
  box.hidden = !axesShown && names.length === 0;
  $("axes-row").hidden = !axesShown;
  for (const [id, k] of [["axis-x", 0], ["axis-y", 1]]) {
    const select = $(id);
    select.replaceChildren(...state.letters.map((name) => new Option(name, name, false, name === state.axes[k])));
  }
  renderSliders($("sliders"), names, state.params, parameterChanged);
  $("formula-label").textContent = `f(${state.letters.join(", ")}) =`;
}

function labelAxes() {
  const [a, b] = state.axes;
  for (const [id, text] of [["name-x", a], ["name-y", b], ["name-fx", `∂f/∂${a}`], ["name-fy", `∂f/∂${b}`],
    ["check-name-x", `∂f/∂${a}`], ["check-name-y", `∂f/∂${b}`]]) $(id).textContent = text;
}

function showGradient(partials) {
  partials.forEach((tree, k) => {
    const box = $(k === 0 ? "gradient-x" : "gradient-y");
    box.replaceChildren(mathElement(partialLabel(state.axes[k]), tree));
  });
}

function parameterValues() {
  const env = new Float64Array(state.letters.length);
  state.letters.forEach((name, k) => {
    if (state.params.has(name) && !state.axes.includes(name)) env[k] = state.params.get(name).value;
  });
  return env;
}

function parameterChanged() {
  state.env.set(parameterValues());
  state.keepLink = false;
  requestField();
  // The heat map waits for the worker; what depends on the parameters here is redrawn now.
  if (state.path) drawPathFrom(state.path.start);
  else if ($("show-vectors").checked) scheduleRedraw();
  scheduleOverlay();
  writeUrl();
}

function showFormulaError(text, error) {
  const box = $("formula-error");
  box.replaceChildren();
  box.append(`${error.message}`);
  if (Number.isInteger(error.column) && error.column >= 1) {
    const at = Math.min(error.column - 1, text.length);
    const code = document.createElement("code");
    const mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + 1) || " ";
    mark.title = `column ${error.column}`;
    code.append(text.slice(0, at), mark, text.slice(at + 1));
    box.append(` (column ${error.column})\n`, code);
  }
  box.hidden = false;
  $("formula").setAttribute("aria-invalid", "true");
  setStatus(state.f ? "The formula was not applied; the picture shows the last good one." : "Nothing is drawn yet.");
}

function hideFormulaError() {
  $("formula-error").hidden = true;
  $("formula").removeAttribute("aria-invalid");
}

// ---------- the field, computed by the worker ----------

function requestField() {
  if (!state.f) return;
  state.requestId += 1;
  state.requestedAt = performance.now();
  worker.postMessage({
    type: "field", id: state.requestId, formula: state.formulaId, xlim: [...state.xlim], ylim: [...state.ylim],
    env: parameterValues(), sizes: SIZES,
  });
}

worker.onmessage = ({ data }) => {
  if (data.type === "error") {
    setStatus(`The field could not be computed: ${data.message}`);
    return;
  }
  if (data.formula !== state.formulaId || data.id < state.drawnId) return;
  state.drawnId = data.id;
  const image = document.createElement("canvas");
  image.width = data.n;
  image.height = data.n;
  image.getContext("2d").putImageData(new ImageData(data.rgba, data.n, data.n), 0, 0);
  const arrived = performance.now();
  state.field = { ...data, image };
  redraw();
  showScaleNote(data);
  const now = performance.now();
  const since = state.applyStarted ?? state.requestedAt;
  const detail = {
    id: data.id, n: data.n, final: data.final, ms: now - since, evaluateMs: data.evaluateMs,
    describeMs: data.describeMs, drawMs: now - arrived,
    // Absolute times (ms since the epoch): the request, the worker's start and reply, the drawing.
    requestedAt: performance.timeOrigin + state.requestedAt, startedAt: data.startedAt, postedAt: data.postedAt,
    arrivedAt: performance.timeOrigin + arrived, drawnAt: performance.timeOrigin + now,
  };
  document.dispatchEvent(new CustomEvent("fielddrawn", { detail }));
  if (!data.final) return;
  state.applyStarted = null;
  document.body.dataset.fieldsDrawn = String(Number(document.body.dataset.fieldsDrawn ?? 0) + 1);
  setStatus(`${data.n}×${data.n} field drawn ${Math.round(now - since)} ms after the change ` +
    `(worker: ${data.evaluateMs.toFixed(1)} ms evaluating, ${data.describeMs.toFixed(1)} ms colours and contours).`);
};

// Say what the colour scale cannot show: values that overflow a double, and undefined ones.
function showScaleNote({ infinite, nan, n, min, max }) {
  const notes = [];
  const share = (count) => `${format((100 * count) / (n * n), 2)}% of the map`;
  if (infinite) notes.push(`f is infinite (beyond ±1.8e308, too large for the colour scale) on ${share(infinite)}, left grey`);
  if (nan) notes.push(`f is undefined (NaN) on ${share(nan)}, left grey`);
  if (!Number.isFinite(max - min)) notes.push(`f spans ${format(min, 3)} to ${format(max, 3)}: contour lines are off`);
  const box = $("scale-note");
  box.textContent = notes.join("; ");
  box.hidden = notes.length === 0;
}

// ---------- drawing ----------

function sizeCanvases(width, height) {
  const ratio = window.devicePixelRatio || 1;
  for (const target of [canvas, overlay]) {
    if (target.width !== Math.round(width * ratio) || target.height !== Math.round(height * ratio)) {
      target.width = Math.round(width * ratio);
      target.height = Math.round(height * ratio);
    }
    target.style.height = `${height}px`;
  }
  $("stack").style.height = `${height}px`;
}

function context2d(target) {
  const ratio = target.width / state.cssWidth;
  const context = target.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

function redraw() {
  if (redrawFrame !== null) cancelAnimationFrame(redrawFrame);
  redrawFrame = null;
  const width = Math.min(MAX_CANVAS, $("stack").clientWidth || MAX_CANVAS);
  const context = canvas.getContext("2d");
  const range = state.field ? { min: state.field.min, max: state.field.max } : null;
  const maxHeight = window.matchMedia("(max-width: 600px)").matches ? window.innerHeight * 0.6 : MAX_CANVAS;
  const v = layout(context, width, state.xlim, state.ylim, range, maxHeight);
  state.cssWidth = width;
  sizeCanvases(width, v.canvasHeight);
  state.view = v;
  canvas.dataset.plot = JSON.stringify({ left: v.left, top: v.top, width: v.width, height: v.height });
  const c = context2d(canvas);
  c.fillStyle = "#ffffff";
  c.fillRect(0, 0, width, v.canvasHeight);
  c.save();
  c.beginPath();
  c.rect(v.left, v.top, v.width, v.height);
  c.clip();
  c.fillStyle = "#d9d9d9";
  c.fillRect(v.left, v.top, v.width, v.height);
  if (state.field) {
    drawHeatMap(c, v, state.field, state.field.image);
    if ($("show-contours").checked) drawContours(c, v, state.field);
  }
  if ($("show-vectors").checked && state.gradient) drawVectors(c, v, state.gradient);
  if (state.path) drawPath(c, v, state.path.points);
  c.restore();
  drawAxes(c, v, state.axes);
  if (state.field) drawColorbar(c, v, state.field.min, state.field.max);
  const labels = (list) => list.map((tick) => tick.label);
  canvas.dataset.ticks = JSON.stringify({
    x: labels(v.xTicks), y: labels(v.yTicks), bar: state.field ? labels(v.barTicks) : [],
    fits: labelsFit(c, v, width),
  });
  drawOverlay();
}

let overlayFrame = null;
function scheduleOverlay() {
  if (overlayFrame === null) overlayFrame = requestAnimationFrame(() => {
    overlayFrame = null;
    drawOverlay();
  });
}

function drawOverlay() {
  if (!state.view) return;
  const context = context2d(overlay);
  context.clearRect(0, 0, state.cssWidth, state.view.canvasHeight);
  if (!state.probe || !state.f) return;
  const [x, y] = state.probe;
  const v = state.view;
  const [gx, gy] = state.gradient(x, y);
  const [px, py] = toScreen(v, x, y);
  const direction = screenDirection(v, gx, gy);
  if (direction) arrow(context, px, py, ...direction, Math.min(ARROW_LENGTH, v.width / 6), "#ffffff", 2.5);
  context.beginPath();
  context.arc(px, py, 3.5, 0, 2 * Math.PI);
  context.fillStyle = "#ffffff";
  context.fill();
  context.strokeStyle = "#000000";
  context.lineWidth = 1;
  context.stroke();
  updateReadout(x, y, gx, gy);
}

function show(id, value, digits = 6) {
  const cell = $(id);
  cell.textContent = format(value, digits);
  cell.dataset.value = String(value);
}

// The readout: exact values from the formula's trees, and a central difference next to them.
function updateReadout(x, y, gx, gy) {
  const f = state.f;
  const hx = Math.cbrt(EPSILON) * Math.max(1, Math.abs(x));
  const hy = Math.cbrt(EPSILON) * Math.max(1, Math.abs(y));
  const fdx = (f(x + hx, y) - f(x - hx, y)) / (2 * hx);
  const fdy = (f(x, y + hy) - f(x, y - hy)) / (2 * hy);
  show("read-x", x, digitsForSpan(x, state.xlim[1] - state.xlim[0]));
  show("read-y", y, digitsForSpan(y, state.ylim[1] - state.ylim[0]));
  show("read-f", f(x, y));
  show("read-fx", gx);
  show("read-fy", gy);
  show("read-norm", Math.hypot(gx, gy));
  show("fd-x", fdx, 10);
  show("fd-y", fdy, 10);
  show("exact-x", gx, 10);
  show("exact-y", gy, 10);
  show("error-x", Math.abs(fdx - gx), 2);
  show("error-y", Math.abs(fdy - gy), 2);
}

function setProbe(point) {
  state.probe = point;
  scheduleOverlay();
}

// ---------- paths ----------

function pathSettings() {
  const settings = {
    step: Number($("step").value),
    steps: Number($("steps").value),
    momentum: Number($("momentum").value),
    ascent: $("direction").value === "ascent",
  };
  for (const key of ["step", "steps", "momentum"]) {
    const message = pathSettingError(key, settings[key]);
    $(key).toggleAttribute("aria-invalid", Boolean(message));
    if (message) throw new Error(`The ${message}.`);
  }
  return settings;
}

// The path comes from the server's /api/path, which runs gradkit's descent loop (gk.ascend / gk.descend, heavy
// ball) on the exact gradient and says why it stopped; the latest request wins.
let pathRequests = 0;

async function drawPathFrom([x, y]) {
  if (!state.f) return;
  let settings;
  try {
    settings = pathSettings();
  } catch (error) {
    $("path-summary").textContent = `No path: ${error.message}`;
    return;
  }
  const request = ++pathRequests;
  const params = Object.fromEntries(
    state.letters.filter((name) => !state.axes.includes(name)).map((name) => [name, state.params.get(name).value]),
  );
  let answer;
  try {
    answer = await post("/api/path", {
      formula: state.formula,
      axes: state.axes,
      params,
      start: [x, y],
      ...settings,
    });
  } catch (error) {
    if (request === pathRequests) $("path-summary").textContent = `No path: ${error.message}`;
    return;
  }
  if (request !== pathRequests) return;
  const values = answer.values.map((v) => (v === null ? NaN : v));
  const path = { start: [x, y], points: answer.points, values };
  state.path = path;
  redraw();
  drawCurve($("path-curve"), path.values);
  const [endX, endY] = path.points[path.points.length - 1];
  const summary = $("path-summary");
  summary.dataset.endX = String(endX);
  summary.dataset.endY = String(endY);
  summary.dataset.reason = answer.reason;
  summary.dataset.values = JSON.stringify(answer.values.slice(0, 200));
  const dx = digitsForSpan(endX, state.xlim[1] - state.xlim[0]);
  const dy = digitsForSpan(endY, state.ylim[1] - state.ylim[0]);
  summary.textContent = `${path.points.length - 1} steps from (${format(x, dx)}, ${format(y, dy)}) to ` +
    `(${format(endX, dx)}, ${format(endY, dy)}); f went from ${format(path.values[0])} to ` +
    `${format(path.values[path.values.length - 1])}. Stopped: ${answer.message.replace(/\.$/, "")}.`;
  document.body.dataset.pathsDrawn = String(Number(document.body.dataset.pathsDrawn ?? 0) + 1);
  writeUrl();
}

// ---------- view changes ----------

const MAX_SPAN = 1e15;

// Keep a range wide enough for float64 to tell the samples apart, and finite.
function clampRange([low, high]) {
  const centre = (low + high) / 2;
  const smallest = Math.max(1e-300, 4096 * EPSILON * Math.max(Math.abs(low), Math.abs(high)));
  const span = Math.min(MAX_SPAN, Math.max(smallest, high - low));
  if (span === high - low) return [low, high];
  return [centre - span / 2, centre + span / 2];
}

function viewChanged() {
  state.xlim = clampRange(state.xlim);
  state.ylim = clampRange(state.ylim);
  state.keepLink = false;
  requestField();
  scheduleRedraw();
  writeUrl();
}

// The last picture moved to the new view on the next frame, unless the worker's new one is drawn first.
let redrawFrame = null;
function scheduleRedraw() {
  if (redrawFrame === null) redrawFrame = requestAnimationFrame(redraw);
}

// The view as it is now (state.view is the one last drawn, and a gesture may have moved it since).
function currentView() {
  return { ...state.view, xlim: state.xlim, ylim: state.ylim };
}

function zoomAbout(px, py, factor) {
  const [x, y] = toData(currentView(), px, py);
  state.xlim = state.xlim.map((edge) => x + (edge - x) * factor);
  state.ylim = state.ylim.map((edge) => y + (edge - y) * factor);
  viewChanged();
}

function zoomCentre(factor) {
  const v = state.view;
  const [px, py] = state.probe ? toScreen(v, ...state.probe) : [v.left + v.width / 2, v.top + v.height / 2];
  zoomAbout(px, py, factor);
}

function panBy(dxPixels, dyPixels) {
  panView(dxPixels, dyPixels);
  viewChanged();
}

function resetView() {
  const preset = PRESETS.find((p) => p.formula === state.formula) ?? DEFAULT;
  state.xlim = [...preset.xlim];
  state.ylim = [...preset.ylim];
}

// ---------- pointer, touch, wheel and keyboard ----------

function pointerPosition(event) {
  const box = canvas.getBoundingClientRect();
  return [((event.clientX - box.left) / box.width) * state.cssWidth,
    ((event.clientY - box.top) / box.height) * state.view.canvasHeight];
}

function insidePlot([px, py]) {
  const v = state.view;
  return px >= v.left && px <= v.left + v.width && py >= v.top && py <= v.top + v.height;
}

function probeAt(position) {
  if (insidePlot(position)) setProbe(toData(state.view, ...position));
}

// A mouse drags to pan and clicks to start a path; on a touch screen one finger probes (a tap or a drag shows
// the readout) and two fingers pan and pinch-zoom, as maps on phones do.
canvas.addEventListener("pointerdown", (event) => {
  if (!state.view) return;
  try {
    canvas.setPointerCapture(event.pointerId);
  } catch {
    // a pointer the browser no longer tracks: the gesture still works without capture
  }
  const position = pointerPosition(event);
  state.pointers.set(event.pointerId, position);
  const touch = event.pointerType === "touch";
  state.gesture = { start: position, moved: false, multi: state.pointers.size > 1, touch };
  if (touch && state.pointers.size === 1) probeAt(position);
});

canvas.addEventListener("pointermove", (event) => {
  if (!state.view) return;
  const position = pointerPosition(event);
  const gesture = state.gesture;
  if (state.pointers.has(event.pointerId) && gesture) {
    const previous = state.pointers.get(event.pointerId);
    state.pointers.set(event.pointerId, position);
    if (Math.hypot(position[0] - gesture.start[0], position[1] - gesture.start[1]) > 4) gesture.moved = true;
    if (state.pointers.size === 2) {
      const [a, b] = [...state.pointers.values()];
      const other = a === position ? b : a;
      const before = Math.hypot(previous[0] - other[0], previous[1] - other[1]);
      const after = Math.hypot(position[0] - other[0], position[1] - other[1]);
      // The moving finger's half of the centre's travel pans; the change of distance zooms about the centre.
      const centre = [(position[0] + other[0]) / 2, (position[1] + other[1]) / 2];
      if (before > 0 && after > 0) {
        panView((position[0] - previous[0]) / 2, (position[1] - previous[1]) / 2);
        zoomAbout(...centre, before / after);
      }
      return;
    }
    if (gesture.touch) {
      probeAt(position);
      return;
    }
    if (gesture.moved) {
      panBy(position[0] - previous[0], position[1] - previous[1]);
      return;
    }
  }
  if (event.pointerType !== "touch") probeAt(position);
});

// Pan without the follow-up work (used inside a pinch, whose zoom does that work once).
function panView(dxPixels, dyPixels) {
  const v = state.view;
  const sx = (state.xlim[1] - state.xlim[0]) / v.width;
  const sy = (state.ylim[1] - state.ylim[0]) / v.height;
  state.xlim = state.xlim.map((edge) => edge - dxPixels * sx);
  state.ylim = state.ylim.map((edge) => edge + dyPixels * sy);
}

function endPointer(event) {
  const gesture = state.gesture;
  state.pointers.delete(event.pointerId);
  if (state.pointers.size > 0) return;
  state.gesture = null;
  if (event.type !== "pointerup" || !gesture || gesture.moved || gesture.multi) return;
  const position = pointerPosition(event);
  if (!insidePlot(position)) return;
  if (gesture.touch) probeAt(position);
  else drawPathFrom(toData(state.view, ...position));
}
canvas.addEventListener("pointerup", endPointer);
canvas.addEventListener("pointercancel", endPointer);

canvas.addEventListener("wheel", (event) => {
  event.preventDefault();
  if (!state.view) return;
  const [px, py] = pointerPosition(event);
  zoomAbout(px, py, Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.0015))));
}, { passive: false });

// Arrows move the probe (the view follows it at the edges), Shift+arrows pan, + and - zoom, 0 resets,
// Enter or space starts a path from the probe.
canvas.addEventListener("keydown", (event) => {
  if (!state.view) return;
  const dx = (state.xlim[1] - state.xlim[0]) / 50;
  const dy = (state.ylim[1] - state.ylim[0]) / 50;
  const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  const [x, y] = state.probe ?? [(state.xlim[0] + state.xlim[1]) / 2, (state.ylim[0] + state.ylim[1]) / 2];
  if (event.key in moves && event.shiftKey) {
    const [mx, my] = moves[event.key];
    panBy((-mx * state.view.width) / 10, (my * state.view.height) / 10);
  } else if (event.key in moves) {
    const [mx, my] = moves[event.key];
    const next = [x + mx * dx, y + my * dy];
    keepInView(next);
    setProbe(next);
  } else if (event.key === "Enter" || event.key === " ") {
    drawPathFrom([x, y]);
  } else if (event.key === "+" || event.key === "=") {
    zoomCentre(0.8);
  } else if (event.key === "-" || event.key === "_") {
    zoomCentre(1.25);
  } else if (event.key === "0") {
    resetView();
    viewChanged();
  } else {
    return;
  }
  event.preventDefault();
});

// Pan just enough that the point stays inside the view, a step from the edge.
function keepInView([x, y]) {
  const margin = 0.02;
  const shift = (value, [low, high]) => {
    const pad = (high - low) * margin;
    if (value < low + pad) return value - (low + pad);
    if (value > high - pad) return value - (high - pad);
    return 0;
  };
  const sx = shift(x, state.xlim);
  const sy = shift(y, state.ylim);
  if (sx === 0 && sy === 0) return;
  state.xlim = state.xlim.map((edge) => edge + sx);
  state.ylim = state.ylim.map((edge) => edge + sy);
  viewChanged();
}

// ---------- controls ----------

$("formula-form").addEventListener("submit", (event) => {
  event.preventDefault();
  applyFormula($("formula").value.trim());
});

const presetSelect = $("preset");
PRESETS.forEach((preset, k) => presetSelect.add(new Option(preset.name, String(k))));
presetSelect.addEventListener("change", async () => {
  const preset = PRESETS[Number(presetSelect.value)];
  if (!preset) return;
  $("direction").value = preset.direction;
  $("step").value = String(preset.step);
  $("steps").value = String(preset.steps ?? 100);
  $("momentum").value = "0";
  await applyFormula(preset.formula, { view: preset });
});

for (const [id, k] of [["axis-x", 0], ["axis-y", 1]]) {
  $(id).addEventListener("change", async () => {
    const axes = [...state.axes];
    axes[k] = $(id).value;
    if (axes[0] === axes[1]) axes[1 - k] = state.axes[k]; // picking the other axis's letter swaps them
    await applyFormula(state.formula, { axes });
  });
}

$("show-contours").addEventListener("change", () => {
  redraw();
  writeUrl();
});
$("show-vectors").addEventListener("change", () => {
  redraw();
  writeUrl();
});
for (const id of ["direction", "step", "steps", "momentum"]) {
  $(id).addEventListener("change", () => {
    if (state.path) drawPathFrom(state.path.start);
    else writeUrl();
  });
}
$("path-here").addEventListener("click", () => {
  const point = state.probe ?? [(state.xlim[0] + state.xlim[1]) / 2, (state.ylim[0] + state.ylim[1]) / 2];
  drawPathFrom(point);
});
$("clear-path").addEventListener("click", () => {
  state.path = null;
  drawCurve($("path-curve"), []);
  $("path-summary").textContent = "A click on the map (or the button) starts a path.";
  redraw();
});
$("reset-view").addEventListener("click", () => {
  resetView();
  viewChanged();
});
$("download").addEventListener("click", download);

// The picture as a PNG, titled with the formula and the parameters' values.
function download() {
  const params = [...state.params].filter(([name]) => state.letters.includes(name) && !state.axes.includes(name));
  const title = `f(${state.letters.join(", ")}) = ${state.formula}` +
    (params.length ? `   (${params.map(([name, p]) => `${name} = ${p.value}`).join(", ")})` : "");
  downloadPicture(canvas, overlay, state.cssWidth, title);
}

function setStatus(text) {
  $("status").textContent = text;
}

function onBusy(seconds) {
  setStatus(`The server is busy; asking again in ${seconds} s…`);
}

// ---------- the URL keeps everything ----------

function currentSettings() {
  let path;
  try {
    path = pathSettings();
  } catch {
    path = { step: 0.2, steps: 100, momentum: 0, ascent: $("direction").value === "ascent" };
  }
  const names = state.letters.filter((name) => !state.axes.includes(name));
  return {
    formula: state.formula,
    xlim: state.xlim,
    ylim: state.ylim,
    axes: state.axes.join() === "x,y" ? null : state.axes,
    params: names.map((name) => [name, state.params.get(name)]),
    vectors: $("show-vectors").checked,
    contours: $("show-contours").checked,
    path,
  };
}

// A link that could not be used stays in the address bar until the page is changed. Writes are throttled
// (browsers refuse more than a few hundred history updates in ten seconds, and a pinch sends 60 a second):
// at once when the last was long enough ago, else once at the end of the interval.
const URL_INTERVAL_MS = 100;
let urlWritten = -Infinity;
let urlTimer = null;

function writeUrl() {
  if (state.keepLink) return;
  const wait = urlWritten + URL_INTERVAL_MS - performance.now();
  if (wait <= 0 && urlTimer === null) {
    flushUrl();
  } else if (urlTimer === null) {
    document.body.dataset.urlPending = "true";
    urlTimer = setTimeout(flushUrl, Math.max(0, wait));
  }
}

function flushUrl() {
  clearTimeout(urlTimer);
  urlTimer = null;
  delete document.body.dataset.urlPending;
  if (state.keepLink) return;
  urlWritten = performance.now();
  history.replaceState(null, "", `${location.pathname}${writeQuery(currentSettings())}`);
}

async function start() {
  const link = readQuery(location.search);
  state.xlim = link.xlim ?? [...DEFAULT.xlim];
  state.ylim = link.ylim ?? [...DEFAULT.ylim];
  for (const [name, p] of link.params) state.params.set(name, p);
  if (link.vectors !== undefined) $("show-vectors").checked = link.vectors;
  if (link.contours !== undefined) $("show-contours").checked = link.contours;
  if (link.path.ascent !== undefined) $("direction").value = link.path.ascent ? "ascent" : "descent";
  for (const key of ["step", "steps", "momentum"]) if (link.path[key] !== undefined) $(key).value = String(link.path[key]);
  redraw();
  new ResizeObserver(() => {
    if (Math.min(MAX_CANVAS, $("stack").clientWidth) !== state.cssWidth) redraw();
  }).observe($("stack"));
  const formula = link.formula ?? DEFAULT.formula;
  $("formula").value = formula;
  // A link with a part that cannot be used says so by the box and stays as it was in the address bar.
  state.keepLink = link.errors.length > 0 || (link.formula !== undefined && location.search.length > 1);
  const applied = await applyFormula(formula, { axes: link.axes ?? null, fromLink: true });
  if (link.errors.length) {
    const box = $("formula-error");
    box.append(`${box.hidden ? "" : "\n"}${link.errors.join("; ")}.`);
    box.hidden = false;
  }
  if (applied && link.errors.length === 0) {
    state.keepLink = false;
    writeUrl();
  } else state.keepLink = true;
  document.body.dataset.ready = "true";
}

start();

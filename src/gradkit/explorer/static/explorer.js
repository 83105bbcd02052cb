// gradkit explore: the page's state, its events and its calls to the API.

import {
  arrow, contourSegments, drawAxes, drawColorbar, drawContours, drawCurve, drawHeatMap, drawPath, drawVectors,
  fieldImage, format, niceTicks, screenDirection, toData, toScreen,
} from "./draw.js";
import { compileTree } from "./tree.js";

const DEFAULT = { formula: "exp(-x^2)*exp(-y^2)", xlim: [-2, 2], ylim: [-2, 2] };
const PRESETS = [
  { name: "Gaussian", formula: "exp(-x^2)*exp(-y^2)", xlim: [-2, 2], ylim: [-2, 2], direction: "ascent", step: 0.2 },
  { name: "Saddle", formula: "x^2 - y^2", xlim: [-2, 2], ylim: [-2, 2], direction: "descent", step: 0.05 },
  { name: "Rosenbrock", formula: "(1 - x)^2 + 100*(y - x^2)^2", xlim: [-2, 2], ylim: [-1, 3], direction: "descent",
    step: 0.001, steps: 2000 },
  { name: "Himmelblau", formula: "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", xlim: [-5, 5], ylim: [-5, 5],
    direction: "descent", step: 0.01 },
  { name: "sin(x)*cos(y)", formula: "sin(x)*cos(y)", xlim: [-4, 4], ylim: [-4, 4], direction: "ascent", step: 0.2 },
  { name: "Two Gaussians", formula: "exp(-((x - 1)^2 + y^2)) + 0.8*exp(-((x + 1)^2 + (y - 0.5)^2)/0.5)",
    xlim: [-3, 3], ylim: [-3, 3], direction: "ascent", step: 0.2 },
];
const GRID = 256;
const SIZE = 640;
const PLOT = { left: 58, top: 12, width: 560, height: 560 };
const ARROW_LENGTH = 60;
const EPSILON = 2 ** -52;

const $ = (id) => document.getElementById(id);
const canvas = $("field");
const overlay = $("overlay");

const state = {
  formula: DEFAULT.formula,
  xlim: [...DEFAULT.xlim],
  ylim: [...DEFAULT.ylim],
  f: null,
  gradient: null,
  field: null,
  image: null,
  contours: [],
  path: null,
  probe: null,
  fieldRequest: 0,
  pointers: new Map(),
  gesture: null,
};

const view = () => ({ ...PLOT, xlim: state.xlim, ylim: state.ylim });

// ---------- the API ----------

async function post(endpoint, body, signal) {
  const reply = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  let data;
  try {
    data = await reply.json();
  } catch {
    data = { detail: `the server answered ${reply.status} ${reply.statusText}` };
  }
  if (!reply.ok) {
    const detail = data.detail;
    const error = new Error(typeof detail === "string" ? detail : detail?.message ?? validationMessage(detail));
    error.column = detail?.column ?? null;
    throw error;
  }
  return data;
}

function validationMessage(detail) {
  if (Array.isArray(detail)) return detail.map((d) => `${d.loc.slice(1).join(".")}: ${d.msg}`).join("; ");
  return "the server refused the request";
}

function decode(text) {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

// ---------- formula ----------

async function applyFormula(text) {
  const input = $("formula");
  setStatus("Parsing…");
  let parsed;
  try {
    parsed = await post("/api/parse", { formula: text });
  } catch (error) {
    showFormulaError(text, error);
    return false;
  }
  hideFormulaError();
  state.formula = text;
  input.value = text;
  state.f = compileTree(parsed.tree);
  const [gx, gy] = parsed.gradient_tree.map(compileTree);
  state.gradient = (x, y) => [gx(x, y), gy(x, y)];
  $("gradient-x").textContent = `∂f/∂x = ${parsed.gradient[0]}`;
  $("gradient-y").textContent = `∂f/∂y = ${parsed.gradient[1]}`;
  state.path = null;
  drawCurve($("path-curve"), []);
  $("path-summary").textContent = "Click the field to start a path.";
  writeUrl();
  await loadField();
  return true;
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
    box.append("\n", code);
  }
  box.hidden = false;
  $("formula").setAttribute("aria-invalid", "true");
  setStatus("The formula was not applied; the picture shows the last good one.");
}

function hideFormulaError() {
  $("formula-error").hidden = true;
  $("formula").removeAttribute("aria-invalid");
}

// ---------- field ----------

async function loadField() {
  const request = ++state.fieldRequest;
  const started = performance.now();
  let data;
  try {
    data = await post("/api/field", { formula: state.formula, xlim: state.xlim, ylim: state.ylim, n: GRID });
  } catch (error) {
    if (request === state.fieldRequest) setStatus(`The field could not be computed: ${error.message}`);
    return;
  }
  if (request !== state.fieldRequest) return; // a newer view was asked for meanwhile
  const field = { ...data, values: decode(data.values) };
  state.field = field;
  state.image = fieldImage(field);
  state.contours = contourSegments(field, niceTicks(field.min, field.max, 12));
  redraw();
  document.body.dataset.fieldsDrawn = String(Number(document.body.dataset.fieldsDrawn ?? 0) + 1);
  setStatus(`${field.n}×${field.n} field drawn in ${Math.round(performance.now() - started)} ms ` +
    `(server ${Math.round(data.server_ms)} ms).`);
}

let fieldTimer = null;
function viewChanged() {
  redraw();
  drawOverlay();
  writeUrl();
  clearTimeout(fieldTimer);
  fieldTimer = setTimeout(loadField, 120);
}

// ---------- drawing ----------

function context2d(target) {
  const ratio = window.devicePixelRatio || 1;
  if (target.width !== Math.round(SIZE * ratio)) {
    target.width = Math.round(SIZE * ratio);
    target.height = Math.round(SIZE * ratio);
  }
  const context = target.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

function redraw() {
  const context = context2d(canvas);
  const v = view();
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, SIZE, SIZE);
  context.save();
  context.beginPath();
  context.rect(v.left, v.top, v.width, v.height);
  context.clip();
  context.fillStyle = "#e6e6e6";
  context.fillRect(v.left, v.top, v.width, v.height);
  if (state.field) {
    drawHeatMap(context, v, state.field, state.image);
    if ($("show-contours").checked) drawContours(context, v, state.contours);
  }
  if ($("show-vectors").checked && state.gradient) drawVectors(context, v, state.gradient);
  if (state.path) drawPath(context, v, state.path.points);
  context.restore();
  drawAxes(context, v);
  if (state.field) drawColorbar($("colorbar"), state.field.min, state.field.max);
}

let overlayFrame = null;
function scheduleOverlay() {
  if (overlayFrame === null) overlayFrame = requestAnimationFrame(() => {
    overlayFrame = null;
    drawOverlay();
  });
}

function drawOverlay() {
  const context = context2d(overlay);
  context.clearRect(0, 0, SIZE, SIZE);
  if (!state.probe || !state.f) return;
  const [x, y] = state.probe;
  const v = view();
  const [gx, gy] = state.gradient(x, y);
  const [px, py] = toScreen(v, x, y);
  const direction = screenDirection(v, gx, gy);
  if (direction) arrow(context, px, py, ...direction, ARROW_LENGTH, "#ffffff", 2.5);
  context.beginPath();
  context.arc(px, py, 3, 0, 2 * Math.PI);
  context.fillStyle = "#ffffff";
  context.fill();
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
  show("read-x", x);
  show("read-y", y);
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

// ---------- paths ----------

async function startPath(x, y) {
  const settings = {
    step: Number($("step").value),
    steps: Math.round(Number($("steps").value)),
    momentum: Number($("momentum").value),
    ascent: $("direction").value === "ascent",
  };
  setStatus("Following the gradient…");
  let data;
  try {
    data = await post("/api/path", { formula: state.formula, start: [x, y], ...settings });
  } catch (error) {
    setStatus(`No path: ${error.message}`);
    return;
  }
  state.path = data;
  redraw();
  const values = data.values.map((v) => (v === null ? NaN : v));
  drawCurve($("path-curve"), values);
  const [endX, endY] = data.points[data.points.length - 1];
  const summary = $("path-summary");
  summary.dataset.endX = String(endX);
  summary.dataset.endY = String(endY);
  summary.textContent = `${data.points.length - 1} steps from (${format(x)}, ${format(y)}) to ` +
    `(${format(endX, 6)}, ${format(endY, 6)}); f went from ${format(values[0], 6)} to ` +
    `${format(values[values.length - 1], 6)}.`;
  document.body.dataset.pathsDrawn = String(Number(document.body.dataset.pathsDrawn ?? 0) + 1);
  setStatus(summary.textContent);
}

// ---------- pointer, wheel and keyboard ----------

function pointerPosition(event) {
  const box = canvas.getBoundingClientRect();
  return [((event.clientX - box.left) / box.width) * SIZE, ((event.clientY - box.top) / box.height) * SIZE];
}

function insidePlot([px, py]) {
  return px >= PLOT.left && px <= PLOT.left + PLOT.width && py >= PLOT.top && py <= PLOT.top + PLOT.height;
}

function zoomAbout(px, py, factor) {
  const [x, y] = toData(view(), px, py);
  state.xlim = state.xlim.map((edge) => x + (edge - x) * factor);
  state.ylim = state.ylim.map((edge) => y + (edge - y) * factor);
  viewChanged();
}

function panBy(dxPixels, dyPixels) {
  const sx = (state.xlim[1] - state.xlim[0]) / PLOT.width;
  const sy = (state.ylim[1] - state.ylim[0]) / PLOT.height;
  state.xlim = state.xlim.map((edge) => edge - dxPixels * sx);
  state.ylim = state.ylim.map((edge) => edge + dyPixels * sy);
  viewChanged();
}

canvas.addEventListener("pointerdown", (event) => {
  try {
    canvas.setPointerCapture(event.pointerId);
  } catch {
    // a pointer the browser no longer tracks: the gesture still works without capture
  }
  const position = pointerPosition(event);
  state.pointers.set(event.pointerId, position);
  state.gesture = { start: position, last: position, moved: false, pinch: state.pointers.size > 1 };
});

canvas.addEventListener("pointermove", (event) => {
  const position = pointerPosition(event);
  if (state.pointers.has(event.pointerId) && state.gesture) {
    const previous = state.pointers.get(event.pointerId);
    state.pointers.set(event.pointerId, position);
    const travelled = Math.hypot(position[0] - state.gesture.start[0], position[1] - state.gesture.start[1]);
    if (travelled > 4) state.gesture.moved = true;
    if (state.pointers.size === 2) {
      const [a, b] = [...state.pointers.values()];
      const other = a === position ? b : a;
      const before = Math.hypot(previous[0] - other[0], previous[1] - other[1]);
      const after = Math.hypot(position[0] - other[0], position[1] - other[1]);
      if (before > 0 && after > 0) zoomAbout((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, before / after);
    } else if (state.gesture.moved) {
      panBy(position[0] - previous[0], position[1] - previous[1]);
    }
  }
  if (insidePlot(position)) {
    state.probe = toData(view(), ...position);
    scheduleOverlay();
  }
});

function endPointer(event) {
  const gesture = state.gesture;
  state.pointers.delete(event.pointerId);
  if (state.pointers.size > 0) return;
  state.gesture = null;
  if (event.type === "pointerup" && gesture && !gesture.moved && !gesture.pinch) {
    const position = pointerPosition(event);
    if (insidePlot(position)) startPath(...toData(view(), ...position));
  }
}
canvas.addEventListener("pointerup", endPointer);
canvas.addEventListener("pointercancel", endPointer);

canvas.addEventListener("wheel", (event) => {
  event.preventDefault();
  const [px, py] = pointerPosition(event);
  zoomAbout(px, py, Math.exp(Math.max(-1, Math.min(1, event.deltaY * 0.0015))));
}, { passive: false });

canvas.addEventListener("keydown", (event) => {
  const dx = (state.xlim[1] - state.xlim[0]) / 50;
  const dy = (state.ylim[1] - state.ylim[0]) / 50;
  const [x, y] = state.probe ?? [(state.xlim[0] + state.xlim[1]) / 2, (state.ylim[0] + state.ylim[1]) / 2];
  const moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
  if (event.key in moves) {
    state.probe = [x + moves[event.key][0], y + moves[event.key][1]];
    scheduleOverlay();
  } else if (event.key === "Enter" || event.key === " ") {
    startPath(x, y);
  } else if (event.key === "+" || event.key === "=") {
    zoomAbout(PLOT.left + PLOT.width / 2, PLOT.top + PLOT.height / 2, 0.8);
  } else if (event.key === "-") {
    zoomAbout(PLOT.left + PLOT.width / 2, PLOT.top + PLOT.height / 2, 1.25);
  } else {
    return;
  }
  event.preventDefault();
});

// ---------- controls ----------

$("formula-form").addEventListener("submit", (event) => {
  event.preventDefault();
  applyFormula($("formula").value.trim());
});

const presetSelect = $("preset");
PRESETS.forEach((preset, k) => presetSelect.add(new Option(preset.name, String(k))));
presetSelect.addEventListener("change", () => {
  const preset = PRESETS[Number(presetSelect.value)];
  if (!preset) return;
  state.xlim = [...preset.xlim];
  state.ylim = [...preset.ylim];
  $("direction").value = preset.direction;
  $("step").value = String(preset.step);
  $("steps").value = String(preset.steps ?? 100);
  applyFormula(preset.formula);
});

$("show-contours").addEventListener("change", redraw);
$("show-vectors").addEventListener("change", redraw);
$("clear-path").addEventListener("click", () => {
  state.path = null;
  drawCurve($("path-curve"), []);
  $("path-summary").textContent = "Click the field to start a path.";
  redraw();
});
$("reset-view").addEventListener("click", () => {
  const preset = PRESETS.find((p) => p.formula === state.formula) ?? DEFAULT;
  state.xlim = [...preset.xlim];
  state.ylim = [...preset.ylim];
  viewChanged();
});
$("download").addEventListener("click", () => {
  const picture = document.createElement("canvas");
  picture.width = canvas.width;
  picture.height = canvas.height;
  const context = picture.getContext("2d");
  context.drawImage(canvas, 0, 0);
  context.drawImage(overlay, 0, 0);
  const link = document.createElement("a");
  link.download = "gradkit-field.png";
  link.href = picture.toDataURL("image/png");
  link.click();
});

function setStatus(text) {
  $("status").textContent = text;
}

// ---------- the URL keeps the view ----------

function writeUrl() {
  const round = (v) => Number(v.toPrecision(8));
  const query = new URLSearchParams({
    f: state.formula,
    x: state.xlim.map(round).join(","),
    y: state.ylim.map(round).join(","),
  });
  history.replaceState(null, "", `${location.pathname}?${query}`);
}

function readRange(text) {
  const values = (text ?? "").split(",").map(Number);
  return values.length === 2 && values.every(Number.isFinite) && values[0] < values[1] ? values : null;
}

async function start() {
  const query = new URLSearchParams(location.search);
  state.xlim = readRange(query.get("x")) ?? [...DEFAULT.xlim];
  state.ylim = readRange(query.get("y")) ?? [...DEFAULT.ylim];
  redraw();
  const formula = query.get("f") ?? DEFAULT.formula;
  $("formula").value = formula;
  if (!(await applyFormula(formula)) && formula !== DEFAULT.formula) await applyFormula(DEFAULT.formula);
  document.body.dataset.ready = "true";
}

start();

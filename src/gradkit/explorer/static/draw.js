// Drawing on a canvas, in CSS pixels: the layout, heat map, contour lines, arrows, paths, axes, colour bar.
// A `view` maps data to pixels: {xlim, ylim, left, top, width, height}.

import { css, magma, viridis } from "./colors.js";
import { format, niceTicks, tickLabel } from "./numbers.js";

export const FONT = "12px system-ui, sans-serif";
const BAR = { gap: 12, width: 14, tick: 4 };

export function toScreen(view, x, y) {
  const [x0, x1] = view.xlim;
  const [y0, y1] = view.ylim;
  return [view.left + ((x - x0) / (x1 - x0)) * view.width, view.top + ((y1 - y) / (y1 - y0)) * view.height];
}

export function toData(view, px, py) {
  const [x0, x1] = view.xlim;
  const [y0, y1] = view.ylim;
  return [x0 + ((px - view.left) / view.width) * (x1 - x0), y1 - ((py - view.top) / view.height) * (y1 - y0)];
}

function widest(context, labels) {
  return labels.reduce((w, label) => Math.max(w, context.measureText(label).width), 0);
}

function labelled(low, high, count) {
  const { step, ticks } = niceTicks(low, high, count);
  return ticks.map((value) => ({ value, label: tickLabel(value, step) }));
}

// Horizontal ticks that fit side by side: fewer of them when the labels are long (deep zooms).
function fittingTicks(context, xlim, width) {
  for (let count = Math.max(2, Math.floor(width / 70)); count >= 2; count--) {
    const ticks = labelled(...xlim, count);
    if (widest(context, ticks.map((t) => t.label)) + 14 <= width / Math.max(1, ticks.length)) return ticks;
  }
  return labelled(...xlim, 1).slice(0, 2);
}

// Where the plot, its labels and the colour bar go in a canvas `width` CSS pixels wide: the margins grow with
// the labels so that none is ever cut, and the plot stays square when there is room.
export function layout(context, width, xlim, ylim, range, maxHeight) {
  context.save();
  context.font = FONT;
  const estimate = Math.max(120, Math.min(width - 120, maxHeight - 56));
  const yTicks = labelled(...ylim, Math.max(2, Math.floor(estimate / 55)));
  let left = Math.ceil((widest(context, yTicks.map((t) => t.label)) + 30) / 6) * 6;
  // A constant field has one value to label.
  const flat = range && !(range.max > range.min);
  const barTicks = !range ? [] : flat ? [{ value: range.min, label: format(range.min, 6) }] : labelled(range.min, range.max, 6);
  let right = BAR.gap + BAR.width + BAR.tick + 6 + Math.ceil(Math.max(24, widest(context, barTicks.map((t) => t.label))));
  // The first and last horizontal labels are centred on the plot's edges: room for half of the longest.
  const half = Math.ceil(widest(context, fittingTicks(context, xlim, width - left - right).map((t) => t.label)) / 2) + 2;
  left = Math.max(left, half);
  right = Math.max(right, half);
  const plotWidth = Math.max(80, width - left - right);
  const plotHeight = Math.max(80, Math.min(plotWidth, maxHeight - 56));
  const plot = { left, top: 18, width: plotWidth, height: plotHeight, xlim, ylim };
  plot.xTicks = fittingTicks(context, xlim, plotWidth);
  plot.yTicks = yTicks;
  plot.barTicks = barTicks;
  plot.canvasHeight = plot.top + plotHeight + 38;
  context.restore();
  return plot;
}

// Whether every label lies inside the canvas: x labels centred on their ticks, y labels right-aligned left of
// the plot, colour-bar labels right of the bar.
export function labelsFit(context, view, width) {
  context.save();
  context.font = FONT;
  const w = (label) => context.measureText(label).width;
  const fits =
    view.xTicks.every(({ value, label }) => {
      const [px] = toScreen(view, value, view.ylim[0]);
      return px - w(label) / 2 >= 0 && px + w(label) / 2 <= width;
    }) &&
    view.yTicks.every(({ label }) => view.left - 7 - w(label) >= 0) &&
    view.barTicks.every(({ label }) => view.left + view.width + BAR.gap + BAR.width + BAR.tick + 2 + w(label) <= width);
  context.restore();
  return fits;
}

// The field's image placed at its own data rectangle (pixel centres on the sample points).
export function drawHeatMap(context, view, field, image) {
  const [ax, ay] = toScreen(view, field.xlim[0], field.ylim[1]);
  const [bx, by] = toScreen(view, field.xlim[1], field.ylim[0]);
  const cellX = (bx - ax) / (field.n - 1);
  const cellY = (by - ay) / (field.n - 1);
  context.imageSmoothingEnabled = true;
  context.drawImage(image, ax - cellX / 2, ay - cellY / 2, bx - ax + cellX, by - ay + cellY);
}

// Contour segments (in grid units of the field) as one stroked path.
export function drawContours(context, view, field) {
  const { segments, n, xlim, ylim } = field;
  const [ax, ay] = toScreen(view, xlim[0], ylim[0]);
  const [bx, by] = toScreen(view, xlim[1], ylim[1]);
  const sx = (bx - ax) / (n - 1);
  const sy = (by - ay) / (n - 1);
  context.save();
  context.lineWidth = 1;
  context.strokeStyle = "rgba(255, 255, 255, 0.55)";
  context.beginPath();
  for (let i = 0; i + 3 < segments.length; i += 4) {
    context.moveTo(ax + segments[i] * sx, ay + segments[i + 1] * sy);
    context.lineTo(ax + segments[i + 2] * sx, ay + segments[i + 3] * sy);
  }
  context.stroke();
  context.restore();
}

// An arrow from (x, y) in pixels along the screen direction (ux, uy) (a unit vector), `length` pixels long.
export function arrow(context, x, y, ux, uy, length, colour, width = 2) {
  const tipX = x + ux * length;
  const tipY = y + uy * length;
  const head = Math.min(10, 0.35 * length) + width;
  const left = [tipX - head * (ux * 0.866 - uy * 0.5), tipY - head * (uy * 0.866 + ux * 0.5)];
  const right = [tipX - head * (ux * 0.866 + uy * 0.5), tipY - head * (uy * 0.866 - ux * 0.5)];
  const shape = () => {
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(tipX - ux * head * 0.5, tipY - uy * head * 0.5);
    context.moveTo(tipX, tipY);
    context.lineTo(...left);
    context.lineTo(...right);
    context.closePath();
  };
  context.save();
  context.lineCap = "round";
  context.lineJoin = "round";
  shape();
  context.strokeStyle = "rgba(0, 0, 0, 0.75)";
  context.lineWidth = width + 2.5;
  context.stroke();
  shape();
  context.strokeStyle = colour;
  context.fillStyle = colour;
  context.lineWidth = width;
  context.stroke();
  context.fill();
  context.restore();
}

// The screen direction of the data-space vector (gx, gy): true data-space angles, as quiver's angles="xy".
export function screenDirection(view, gx, gy) {
  const sx = view.width / (view.xlim[1] - view.xlim[0]);
  const sy = view.height / (view.ylim[1] - view.ylim[0]);
  const px = gx * sx;
  const py = -gy * sy;
  const length = Math.hypot(px, py);
  if (length > 0 && Number.isFinite(length)) return [px / length, py / length];
  // Components too large to scale: their direction is still known.
  const big = Math.max(Math.abs(px), Math.abs(py));
  return big > 0 && Number.isFinite(px / big) && Number.isFinite(py / big) ? screenDirection(view, gx / big, gy / big) : null;
}

// A grid of arrows of equal length (about one per 33 px), coloured by |grad f| (magma, low to high).
export function drawVectors(context, view, gradient) {
  const count = Math.max(7, Math.min(21, Math.round(view.width / 33)));
  const samples = [];
  let largest = 0;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      const px = view.left + ((i + 0.5) / count) * view.width;
      const py = view.top + ((j + 0.5) / count) * view.height;
      const [gx, gy] = gradient(...toData(view, px, py));
      const norm = Math.hypot(gx, gy);
      if (!Number.isFinite(norm)) continue;
      samples.push([px, py, gx, gy, norm]);
      largest = Math.max(largest, norm);
    }
  }
  const length = 0.8 * (view.width / count);
  for (const [px, py, gx, gy, norm] of samples) {
    const direction = screenDirection(view, gx, gy);
    if (!direction) continue;
    const colour = css(magma, largest > 0 ? norm / largest : 0);
    arrow(context, px - (direction[0] * length) / 2, py - (direction[1] * length) / 2, ...direction, length, colour,
      1.5);
  }
}

export function drawPath(context, view, points) {
  if (points.length === 0) return;
  context.save();
  context.lineWidth = 2.5;
  context.strokeStyle = "#ff4f9a";
  context.beginPath();
  points.forEach(([x, y], k) => {
    const [px, py] = toScreen(view, x, y);
    if (k === 0) context.moveTo(px, py);
    else context.lineTo(px, py);
  });
  context.stroke();
  for (const [[x, y], fill] of [[points[0], "#ffffff"], [points[points.length - 1], "#ff4f9a"]]) {
    const [px, py] = toScreen(view, x, y);
    context.beginPath();
    context.arc(px, py, 5, 0, 2 * Math.PI);
    context.fillStyle = fill;
    context.fill();
    context.strokeStyle = "#000000";
    context.lineWidth = 1.5;
    context.stroke();
  }
  context.restore();
}

// The frame, ticks and labels of both axes, named by the axis letters.
export function drawAxes(context, view, names) {
  context.save();
  context.fillStyle = "#1a1a1a";
  context.strokeStyle = "#1a1a1a";
  context.font = FONT;
  context.lineWidth = 1;
  context.strokeRect(view.left, view.top, view.width, view.height);
  context.textAlign = "center";
  context.textBaseline = "top";
  const bottom = view.top + view.height;
  for (const { value, label } of view.xTicks) {
    const [px] = toScreen(view, value, view.ylim[0]);
    context.fillRect(Math.round(px) - 0.5, bottom, 1, 5);
    context.fillText(label, px, bottom + 7);
  }
  context.font = `italic ${FONT}`;
  context.fillText(names[0], view.left + view.width / 2, bottom + 22);
  context.font = FONT;
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const { value, label } of view.yTicks) {
    const [, py] = toScreen(view, view.xlim[0], value);
    context.fillRect(view.left - 5, Math.round(py) - 0.5, 5, 1);
    context.fillText(label, view.left - 7, py);
  }
  context.font = `italic ${FONT}`;
  context.textAlign = "left";
  context.fillText(names[1], 2, view.top + view.height / 2);
  context.restore();
}

let bar = null;
// Viridis as a 1 x 256 image, top = largest value, drawn stretched: one call instead of one per pixel row.
function barImage() {
  if (bar) return bar;
  bar = document.createElement("canvas");
  bar.width = 1;
  bar.height = 256;
  const image = bar.getContext("2d").createImageData(1, 256);
  for (let i = 0; i < 256; i++) {
    image.data.set([viridis[3 * (255 - i)], viridis[3 * (255 - i) + 1], viridis[3 * (255 - i) + 2], 255], 4 * i);
  }
  bar.getContext("2d").putImageData(image, 0, 0);
  return bar;
}

// The colour bar right of the plot, from min to max, with labels that fit the margin the layout gave them.
export function drawColorbar(context, view, min, max) {
  const x = view.left + view.width + BAR.gap;
  const top = view.top;
  const bottom = view.top + view.height;
  context.save();
  context.imageSmoothingEnabled = true;
  context.drawImage(barImage(), x, top, BAR.width, bottom - top);
  context.strokeStyle = "#1a1a1a";
  context.lineWidth = 1;
  context.strokeRect(x, top, BAR.width, bottom - top);
  context.fillStyle = "#1a1a1a";
  context.font = `italic ${FONT}`;
  context.textBaseline = "bottom";
  context.fillText("f", x + 3, top - 3);
  context.font = FONT;
  context.textBaseline = "middle";
  for (const { value, label } of view.barTicks) {
    const py = max > min ? bottom - ((value / 2 - min / 2) / (max / 2 - min / 2)) * (bottom - top) : bottom;
    context.fillRect(x + BAR.width, Math.round(py) - 0.5, BAR.tick, 1);
    context.fillText(label, x + BAR.width + BAR.tick + 2, py);
  }
  context.restore();
}

// The f-per-step curve of a path.
export function drawCurve(canvas, values) {
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return;
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = 44;
  const scaleX = (canvas.width - pad - 8) / Math.max(1, values.length - 1);
  const scaleY = high > low ? (canvas.height - 24) / (high - low) : 0;
  context.strokeStyle = "#1a1a1a";
  context.strokeRect(pad, 6, canvas.width - pad - 8, canvas.height - 18);
  context.strokeStyle = "#c2185b";
  context.lineWidth = 2;
  context.beginPath();
  values.forEach((v, k) => {
    if (!Number.isFinite(v)) return;
    const px = pad + k * scaleX;
    const py = canvas.height - 15 - (high > low ? (v - low) * scaleY : (canvas.height - 24) / 2);
    if (k === 0) context.moveTo(px, py);
    else context.lineTo(px, py);
  });
  context.stroke();
  context.fillStyle = "#1a1a1a";
  context.font = "10px system-ui, sans-serif";
  context.fillText(format(high, 4), 2, 12);
  context.fillText(format(low, 4), 2, canvas.height - 14);
  context.fillText(`step ${values.length - 1}`, canvas.width - 60, canvas.height - 2);
}

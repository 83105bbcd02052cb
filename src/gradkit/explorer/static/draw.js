// Drawing on a canvas: the heat map, contour lines, arrows, paths, axes and the colour bar.
// A `view` maps data to pixels: {xlim, ylim, left, top, width, height}.

import { css, magma, viridis } from "./colors.js";

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

// The field's values as an image, rows flipped so y grows upwards; non-finite values are transparent.
export function fieldImage(field) {
  const { n, values, min, max } = field;
  const canvas = document.createElement("canvas");
  canvas.width = n;
  canvas.height = n;
  const context = canvas.getContext("2d");
  const image = context.createImageData(n, n);
  const scale = max > min ? 255 / (max - min) : 0;
  for (let row = 0; row < n; row++) {
    const target = (n - 1 - row) * n;
    for (let col = 0; col < n; col++) {
      const v = values[row * n + col];
      const o = 4 * (target + col);
      if (!Number.isFinite(v)) continue;
      const i = 3 * Math.max(0, Math.min(255, Math.round((v - min) * scale)));
      image.data[o] = viridis[i];
      image.data[o + 1] = viridis[i + 1];
      image.data[o + 2] = viridis[i + 2];
      image.data[o + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

// Place the field's image at its own data rectangle in the current view.
export function drawHeatMap(context, view, field, image) {
  const [ax, ay] = toScreen(view, field.xlim[0], field.ylim[1]);
  const [bx, by] = toScreen(view, field.xlim[1], field.ylim[0]);
  const cellX = (bx - ax) / (field.n - 1);
  const cellY = (by - ay) / (field.n - 1);
  context.imageSmoothingEnabled = true;
  context.drawImage(image, ax - cellX / 2, ay - cellY / 2, bx - ax + cellX, by - ay + cellY);
}

// "Nice" levels between min and max: about `count` of them at round numbers.
export function niceTicks(low, high, count) {
  const span = high - low;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return ticks;
}

// Contour segments by marching squares on the sampled grid, in data coordinates: [x0, y0, x1, y1, ...] per level.
export function contourSegments(field, levels) {
  const { n, values, xlim, ylim } = field;
  const dx = (xlim[1] - xlim[0]) / (n - 1);
  const dy = (ylim[1] - ylim[0]) / (n - 1);
  const stride = Math.max(1, Math.floor(n / 200));
  const lines = [];
  for (const level of levels) {
    const segments = [];
    for (let row = 0; row + stride < n; row += stride) {
      for (let col = 0; col + stride < n; col += stride) {
        const a = values[row * n + col];
        const b = values[row * n + col + stride];
        const c = values[(row + stride) * n + col + stride];
        const d = values[(row + stride) * n + col];
        if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
        const crossings = [];
        const x0 = xlim[0] + col * dx;
        const y0 = ylim[0] + row * dy;
        const w = stride * dx;
        const h = stride * dy;
        const edge = (p, q, fromX, fromY, toX, toY) => {
          if ((p < level) !== (q < level)) {
            const t = (level - p) / (q - p);
            crossings.push(fromX + t * (toX - fromX), fromY + t * (toY - fromY));
          }
        };
        edge(a, b, x0, y0, x0 + w, y0);
        edge(b, c, x0 + w, y0, x0 + w, y0 + h);
        edge(c, d, x0 + w, y0 + h, x0, y0 + h);
        edge(d, a, x0, y0 + h, x0, y0);
        if (crossings.length === 4) segments.push(...crossings);
        else if (crossings.length === 8) {
          const centre = (a + b + c + d) / 4;
          // A saddle cell: crossings are on edges ab, bc, cd, da; keep the corners on the centre's side joined.
          if ((centre < level) === (a < level)) segments.push(...crossings);
          else segments.push(...crossings.slice(6, 8), ...crossings.slice(0, 6));
        }
      }
    }
    lines.push({ level, segments });
  }
  return lines;
}

export function drawContours(context, view, lines) {
  context.save();
  context.lineWidth = 1;
  context.strokeStyle = "rgba(255, 255, 255, 0.55)";
  context.beginPath();
  for (const { segments } of lines) {
    for (let i = 0; i + 3 < segments.length; i += 4) {
      const [ax, ay] = toScreen(view, segments[i], segments[i + 1]);
      const [bx, by] = toScreen(view, segments[i + 2], segments[i + 3]);
      context.moveTo(ax, ay);
      context.lineTo(bx, by);
    }
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
  return length > 0 && Number.isFinite(length) ? [px / length, py / length] : null;
}

// A grid of arrows of equal length, coloured by |grad f| (magma, low to high).
export function drawVectors(context, view, gradient, count = 17) {
  const samples = [];
  let largest = 0;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      const px = view.left + ((i + 0.5) / count) * view.width;
      const py = view.top + ((j + 0.5) / count) * view.height;
      const [x, y] = toData(view, px, py);
      const [gx, gy] = gradient(x, y);
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

export function format(value, digits = 4) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e5 ? String(Number(value.toPrecision(digits))) : value.toExponential(digits - 1);
}

export function drawAxes(context, view) {
  context.save();
  context.fillStyle = "#1a1a1a";
  context.strokeStyle = "#1a1a1a";
  context.font = "12px system-ui, sans-serif";
  context.lineWidth = 1;
  context.strokeRect(view.left, view.top, view.width, view.height);
  context.textAlign = "center";
  context.textBaseline = "top";
  for (const tick of niceTicks(...view.xlim, 6)) {
    const [px] = toScreen(view, tick, view.ylim[0]);
    context.beginPath();
    context.moveTo(px, view.top + view.height);
    context.lineTo(px, view.top + view.height + 5);
    context.stroke();
    context.fillText(format(tick), px, view.top + view.height + 7);
  }
  context.fillText("x", view.left + view.width / 2, view.top + view.height + 22);
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const tick of niceTicks(...view.ylim, 6)) {
    const [, py] = toScreen(view, view.xlim[0], tick);
    context.beginPath();
    context.moveTo(view.left - 5, py);
    context.lineTo(view.left, py);
    context.stroke();
    context.fillText(format(tick), view.left - 7, py);
  }
  context.fillText("y", view.left - 40, view.top + view.height / 2);
  context.restore();
}

export function drawColorbar(canvas, min, max) {
  const context = canvas.getContext("2d");
  const top = 20;
  const bottom = canvas.height - 50;
  context.clearRect(0, 0, canvas.width, canvas.height);
  for (let py = top; py <= bottom; py++) {
    const t = (bottom - py) / (bottom - top);
    context.fillStyle = css(viridis, t);
    context.fillRect(8, py, 18, 1.5);
  }
  context.strokeStyle = "#1a1a1a";
  context.strokeRect(8, top, 18, bottom - top);
  context.fillStyle = "#1a1a1a";
  context.font = "12px system-ui, sans-serif";
  context.textBaseline = "middle";
  context.fillText("f", 12, top - 10);
  for (const tick of niceTicks(min, max, 6)) {
    const py = bottom - ((tick - min) / (max - min)) * (bottom - top);
    context.fillRect(26, py, 4, 1);
    context.fillText(format(tick), 32, py);
  }
}

// The f-per-step curve of a path.
export function drawCurve(canvas, values) {
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return;
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = 28;
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
  context.fillText(format(high, 3), 2, 12);
  context.fillText(format(low, 3), 2, canvas.height - 14);
  context.fillText(`step ${values.length - 1}`, canvas.width - 60, canvas.height - 2);
}

// The map as a PNG file: the formula (with the parameters' values) written above the canvas, which already
// holds the axes, the colour bar, the arrows and the path.

import { FONT } from "./draw.js";

const BAND = 28; // CSS pixels for the title

export function downloadPicture(canvas, overlay, cssWidth, title) {
  const ratio = canvas.width / cssWidth;
  const picture = document.createElement("canvas");
  picture.width = canvas.width;
  picture.height = canvas.height + Math.round(BAND * ratio);
  const context = picture.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, picture.width, picture.height);
  context.save();
  context.scale(ratio, ratio);
  context.fillStyle = "#1a1a1a";
  context.font = FONT.replace("12px", "14px");
  context.textBaseline = "middle";
  let text = title;
  while (text.length > 4 && context.measureText(`${text}…`).width > cssWidth - 16) text = text.slice(0, -1);
  context.fillText(text === title ? title : `${text}…`, 8, BAND / 2);
  context.restore();
  context.drawImage(canvas, 0, Math.round(BAND * ratio));
  context.drawImage(overlay, 0, Math.round(BAND * ratio));
  const link = document.createElement("a");
  link.download = "gradkit-field.png";
  link.href = picture.toDataURL("image/png");
  link.click();
}

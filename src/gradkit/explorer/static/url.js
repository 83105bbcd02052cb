// The address bar keeps everything a link needs to reproduce the page: formula, view (full precision), axis
// letters, parameters with their slider ranges, what is shown and the path settings.
// ?f=a*x^2+y&x=-2,2&y=-2,2&axes=x,y&p=a,1,-5,5&vectors=1&contours=0&dir=descent&step=0.2&steps=100&momentum=0

export const PATH_LIMITS = { step: [0, 100], steps: [1, 10000], momentum: [0, 1] };

// Every number written with String(): the shortest text that reads back as the same double.
export function writeQuery(settings) {
  const query = new URLSearchParams();
  query.set("f", settings.formula);
  query.set("x", settings.xlim.map(String).join(","));
  query.set("y", settings.ylim.map(String).join(","));
  if (settings.axes) query.set("axes", settings.axes.join(","));
  for (const [name, p] of settings.params) query.append("p", [name, p.value, p.min, p.max].map(String).join(","));
  if (settings.vectors) query.set("vectors", "1");
  if (!settings.contours) query.set("contours", "0");
  query.set("dir", settings.path.ascent ? "ascent" : "descent");
  query.set("step", String(settings.path.step));
  query.set("steps", String(settings.path.steps));
  query.set("momentum", String(settings.path.momentum));
  return `?${query}`;
}

function numbers(text, count) {
  const parts = String(text).split(",");
  if (parts.length !== count || parts.some((p) => p.trim() === "")) return null;
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

// What a link asks for, and a message for each part of it that cannot be used (those parts keep defaults).
export function readQuery(search) {
  const query = new URLSearchParams(search);
  const found = { errors: [], params: new Map() };
  if (query.has("f")) found.formula = query.get("f");
  for (const axis of ["x", "y"]) {
    if (!query.has(axis)) continue;
    const range = numbers(query.get(axis), 2);
    if (range && range[0] < range[1]) found[`${axis}lim`] = range;
    else found.errors.push(`the link's ${axis} range "${query.get(axis)}" is not two increasing numbers`);
  }
  if (query.has("axes")) {
    const axes = query.get("axes").split(",");
    if (axes.length === 2 && axes[0] !== axes[1] && axes.every((a) => /^[A-Za-z_][A-Za-z_0-9]*$/.test(a))) {
      found.axes = axes;
    } else found.errors.push(`the link's axes "${query.get("axes")}" are not two different letters`);
  }
  for (const text of query.getAll("p")) {
    const [name, ...rest] = text.split(",");
    const values = numbers(rest.join(","), 3);
    if (/^[A-Za-z_][A-Za-z_0-9]*$/.test(name) && values && values[1] < values[2]) {
      found.params.set(name, { value: values[0], min: values[1], max: values[2] });
    } else found.errors.push(`the link's parameter "${text}" is not letter,value,min,max with min < max`);
  }
  if (query.has("vectors")) found.vectors = query.get("vectors") === "1";
  if (query.has("contours")) found.contours = query.get("contours") !== "0";
  const path = {};
  if (query.has("dir")) {
    if (["ascent", "descent"].includes(query.get("dir"))) path.ascent = query.get("dir") === "ascent";
    else found.errors.push(`the link's direction "${query.get("dir")}" is neither ascent nor descent`);
  }
  for (const key of ["step", "steps", "momentum"]) {
    if (!query.has(key)) continue;
    const value = Number(query.get(key));
    const message = pathSettingError(key, value);
    if (message) found.errors.push(`the link's ${message}`);
    else path[key] = value;
  }
  found.path = path;
  return found;
}

// Why a path setting cannot be used, or null when it can.
export function pathSettingError(key, value) {
  const [low, high] = PATH_LIMITS[key];
  if (key === "step" && !(value > low && value <= high)) return `step size ${value} is not in (0, 100]`;
  if (key === "steps" && !(Number.isInteger(value) && value >= low && value <= high)) {
    return `number of steps ${value} is not a whole number from 1 to 10000`;
  }
  if (key === "momentum" && !(value >= low && value < high)) return `momentum ${value} is not in [0, 1)`;
  return null;
}

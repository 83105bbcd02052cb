// A slider for each letter beyond the two axes (as Desmos does), with its value and range editable.

const DEFAULT = { value: 1, min: -5, max: 5 };

export function defaultParameter() {
  return { ...DEFAULT };
}

function input(id, type, value, label, className) {
  const field = document.createElement("input");
  Object.assign(field, { id, type, value: String(value) });
  field.step = "any";
  const tag = document.createElement("label");
  tag.htmlFor = id;
  tag.textContent = label;
  if (className) tag.className = className;
  return [tag, field];
}

// Build the sliders for `names` in `container`; onChange(name) after every accepted edit of params[name].
export function renderSliders(container, names, params, onChange) {
  container.replaceChildren();
  for (const name of names) {
    const p = params.get(name);
    const id = `param-${name}`;
    const row = document.createElement("div");
    row.className = "slider";
    row.dataset.letter = name;
    const [rangeLabel, range] = input(id, "range", p.value, name, "letter");
    const [valueLabel, value] = input(`${id}-value`, "number", p.value, `${name} =`, "visually-hidden");
    const [minLabel, min] = input(`${id}-min`, "number", p.min, "from");
    const [maxLabel, max] = input(`${id}-max`, "number", p.max, "to");
    const sync = () => {
      range.min = String(p.min);
      range.max = String(p.max);
      range.value = String(p.value);
      value.value = String(p.value);
      min.value = String(p.min);
      max.value = String(p.max);
      for (const field of [value, min, max]) field.removeAttribute("aria-invalid");
    };
    sync();
    range.addEventListener("input", () => {
      p.value = Number(range.value);
      value.value = String(p.value);
      onChange(name);
    });
    value.addEventListener("change", () => {
      const v = Number(value.value);
      if (value.value.trim() === "" || !Number.isFinite(v)) {
        value.setAttribute("aria-invalid", "true");
        return;
      }
      // A value outside the range widens it rather than being refused.
      p.value = v;
      p.min = Math.min(p.min, v);
      p.max = Math.max(p.max, v);
      sync();
      onChange(name);
    });
    for (const [field, key] of [[min, "min"], [max, "max"]]) {
      field.addEventListener("change", () => {
        const v = Number(field.value);
        const low = key === "min" ? v : p.min;
        const high = key === "max" ? v : p.max;
        if (field.value.trim() === "" || !Number.isFinite(v) || !(low < high)) {
          field.setAttribute("aria-invalid", "true");
          field.title = "the range needs from < to";
          return;
        }
        p[key] = v;
        p.value = Math.min(high, Math.max(low, p.value));
        sync();
        onChange(name);
      });
    }
    const bounds = document.createElement("span");
    bounds.className = "bounds";
    bounds.append(minLabel, min, maxLabel, max);
    row.append(rangeLabel, range, valueLabel, value, bounds);
    container.append(row);
  }
}

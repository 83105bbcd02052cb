// What the page asks the server: /api/parse, and how its answer's letters, axes and derivatives are read.

import { treeLetters, writtenOrder } from "./tree.js";

// POST JSON; a refusal becomes an Error with the server's message (and column). A 503 from a busy server is
// asked again after its Retry-After (a few seconds at most), twice; onBusy(seconds) hears of each wait.
export async function post(endpoint, body, { retries = 2, onBusy = () => {} } = {}) {
  const reply = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (reply.status === 503 && retries > 0) {
    const seconds = Math.min(5, Math.max(0.2, Number(reply.headers.get("Retry-After")) || 1));
    onBusy(seconds);
    await new Promise((done) => setTimeout(done, seconds * 1000));
    return post(endpoint, body, { retries: retries - 1, onBusy });
  }
  let data;
  try {
    data = await reply.json();
  } catch {
    data = { detail: `the server answered ${reply.status} ${reply.statusText}` };
  }
  if (!reply.ok) {
    const detail = data.detail ?? data;
    const error = new Error(typeof detail === "string" ? detail : detail?.message ?? validationMessage(detail));
    error.column = detail?.column ?? null;
    throw error;
  }
  return data;
}

function validationMessage(detail) {
  if (Array.isArray(detail)) return detail.map((d) => `${(d.loc ?? []).slice(1).join(".")}: ${d.msg}`).join("; ");
  return "the server refused the request";
}

// Every letter of the formula, in written order: from the server's lists when it sends them and from the
// trees themselves, so the page does not depend on which lists a server version sends.
export function lettersOf(text, parsed) {
  const names = [];
  for (const list of [parsed.letters, parsed.variables, parsed.axes, parsed.parameters]) {
    if (Array.isArray(list)) for (const name of list) if (typeof name === "string" && !names.includes(name)) names.push(name);
  }
  for (const tree of [parsed.tree, ...(Array.isArray(parsed.gradient_tree) ? parsed.gradient_tree : [])]) {
    if (Array.isArray(tree)) treeLetters(tree, names);
  }
  return writtenOrder(text, names);
}

// The axes: those asked for, else the server's, else x and y, else x and another, else the first two written.
export function chooseAxes(letters, wanted, parsed) {
  const valid = (pair) => Array.isArray(pair) && pair.length === 2 && pair[0] !== pair[1] &&
    pair.every((name) => letters.includes(name));
  if (valid(wanted)) return [...wanted];
  if (valid(parsed.axes)) return [...parsed.axes];
  if (letters.includes("x") && letters.includes("y")) return ["x", "y"];
  if (letters.includes("x")) return ["x", letters.find((name) => name !== "x")];
  return letters.slice(0, 2);
}

// The trees of the partial derivatives along the two axes, matched by letter in whichever list they follow.
export function gradientTrees(parsed, axes) {
  const trees = parsed.gradient_tree;
  if (trees && !Array.isArray(trees) && typeof trees === "object") {
    return axes.every((name) => Array.isArray(trees[name])) ? axes.map((name) => trees[name]) : null;
  }
  if (!Array.isArray(trees)) return null;
  for (const names of [parsed.gradient_letters, parsed.axes, parsed.variables, parsed.letters]) {
    if (Array.isArray(names) && names.length === trees.length && axes.every((name) => names.includes(name))) {
      return axes.map((name) => trees[names.indexOf(name)]);
    }
  }
  return null;
}

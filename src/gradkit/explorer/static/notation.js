// A JSON expression tree in mathematical notation: MathML (which browsers typeset) and plain text in the
// parser's own syntax (^ for powers), so what the page shows can be typed back into the box.

const MATHML = "http://www.w3.org/1998/Math/MathML";
const PRECEDENCE = { add: 1, mul: 2, neg: 2, pow: 4, atom: 5 };

// A number whose decimals run on but which is exactly p/q in double precision for a small q (1/3, -2/3, 5/6),
// as [p, q]; short decimals (0.5, 1.25) stay as they are.
function rational(value) {
  if (Number.isInteger(value) || String(value).length <= 6) return null;
  for (let q = 2; q <= 12; q++) {
    const p = Math.round(value * q);
    if (p / q === value && Math.abs(p) < 1e6) return [p, q];
  }
  return null;
}

function numberText(value) {
  if (value === Math.PI) return "pi";
  if (value === Math.E) return "e";
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const fraction = rational(value);
  if (fraction) return `${fraction[0]}/${fraction[1]}`;
  return String(value).replace("e+", "e");
}

// A term's sign pulled out: -3*x -> [true, 3*x]; x -> [false, x].
function splitSign(node) {
  if (node[0] === "num" && node[1] < 0) return [true, ["num", -node[1]]];
  if (node[0] === "mul" && node[1][0] === "num" && node[1][1] < 0) {
    const coefficient = -node[1][1];
    const rest = node.slice(2);
    if (coefficient === 1) return [true, rest.length === 1 ? rest[0] : ["mul", ...rest]];
    return [true, ["mul", ["num", coefficient], ...rest]];
  }
  return [false, node];
}

// Factors of a product split into numerator and denominator (negative constant powers go below the line).
function fraction(factors) {
  const top = [];
  const bottom = [];
  for (const factor of factors) {
    if (factor[0] === "pow" && factor[2][0] === "num" && factor[2][1] < 0) {
      bottom.push(factor[2][1] === -1 ? factor[1] : ["pow", factor[1], ["num", -factor[2][1]]]);
    } else top.push(factor);
  }
  return [top, bottom];
}

const product = (factors) => (factors.length === 0 ? ["num", 1] : factors.length === 1 ? factors[0] : ["mul", ...factors]);

function precedence(node) {
  if (node[0] === "num") return node[1] < 0 ? PRECEDENCE.neg : rational(node[1]) ? PRECEDENCE.mul : PRECEDENCE.atom;
  if (node[0] === "mul") {
    return splitSign(node)[0] ? PRECEDENCE.neg : PRECEDENCE.mul;
  }
  if (node[0] === "pow") {
    const e = node[2];
    if (e[0] === "num" && (e[1] === 0.5 || e[1] < 0)) return e[1] === 0.5 ? PRECEDENCE.atom : PRECEDENCE.mul;
    return PRECEDENCE.pow;
  }
  if (node[0] === "call" && node[1] === "heaviside") return PRECEDENCE.mul; // written (1 + sign(u))/2
  return PRECEDENCE[node[0]] ?? PRECEDENCE.atom;
}

// ---------- text ----------

export function toText(node) {
  const wrap = (child, minimum) => (precedence(child) < minimum ? `(${toText(child)})` : toText(child));
  switch (node[0]) {
    case "num":
      return numberText(node[1]);
    case "var":
      return node[1];
    case "add":
      return node.slice(1).map((term, k) => {
        const [negative, magnitude] = splitSign(term);
        const text = wrap(magnitude, PRECEDENCE.mul);
        if (k === 0) return negative ? `-${text}` : text;
        return negative ? ` - ${text}` : ` + ${text}`;
      }).join("");
    case "mul": {
      const [negative, magnitude] = splitSign(node);
      if (negative) return `-${wrap(magnitude, PRECEDENCE.mul)}`;
      const [top, bottom] = fraction(node.slice(1));
      const numerator = top.length ? top.map((f) => wrap(f, PRECEDENCE.mul + 0.5)).join("*") : "1";
      if (!bottom.length) return numerator;
      return `${numerator}/${wrap(product(bottom), bottom.length > 1 ? PRECEDENCE.atom : PRECEDENCE.pow)}`;
    }
    case "pow": {
      const [, base, exponent] = node;
      if (exponent[0] === "num" && exponent[1] === 0.5) return `sqrt(${toText(base)})`;
      if (exponent[0] === "num" && exponent[1] < 0) return toText(["mul", node]);
      return `${wrap(base, PRECEDENCE.atom)}^${wrap(exponent, PRECEDENCE.atom)}`;
    }
    case "call":
      // The parser has no step function; sympy's Heaviside is 1/2 at 0, as (1 + sign(u))/2 is. It has no
      // Dirac delta either (from derivatives of sign), which keeps its own name.
      if (node[1] === "heaviside") return `(1 + sign(${toText(node[2])}))/2`;
      return `${node[1]}(${node.slice(2).map(toText).join(", ")})`;
    default:
      return "?";
  }
}

// ---------- MathML ----------

function element(name, children = [], text = null) {
  const made = document.createElementNS(MATHML, name);
  if (text !== null) made.textContent = text;
  for (const child of children) made.append(child);
  return made;
}

const mo = (text) => element("mo", [], text);
const row = (...children) => element("mrow", children);
const fenced = (child) => row(mo("("), child, mo(")"));

function numberElement(value) {
  if (value === Math.PI) return element("mi", [], "π");
  if (value === Math.E) return element("mi", [], "e");
  const fraction = rational(value);
  if (fraction) return element("mfrac", [element("mn", [], String(fraction[0])), element("mn", [], String(fraction[1]))]);
  return element("mn", [], numberText(value));
}

function toMath(node) {
  const wrap = (child, minimum) => (precedence(child) < minimum ? fenced(toMath(child)) : toMath(child));
  switch (node[0]) {
    case "num":
      return node[1] < 0 ? row(mo("−"), numberElement(-node[1])) : numberElement(node[1]);
    case "var":
      return element("mi", [], node[1]);
    case "add":
      return row(...node.slice(1).flatMap((term, k) => {
        const [negative, magnitude] = splitSign(term);
        const part = wrap(magnitude, PRECEDENCE.mul);
        if (k === 0) return negative ? [mo("−"), part] : [part];
        return [mo(negative ? "−" : "+"), part];
      }));
    case "mul": {
      const [negative, magnitude] = splitSign(node);
      if (negative) return row(mo("−"), wrap(magnitude, PRECEDENCE.mul));
      const [top, bottom] = fraction(node.slice(1));
      const joined = (factors) => row(...factors.flatMap((f, k) => {
        const part = wrap(f, PRECEDENCE.mul + 0.5);
        // An explicit dot between two numbers; elsewhere the invisible times of ordinary notation.
        return k === 0 ? [part] : [mo(factors[k - 1][0] === "num" && f[0] === "num" ? "·" : "\u2062"), part];
      }));
      const numerator = top.length ? joined(top) : element("mn", [], "1");
      return bottom.length ? element("mfrac", [numerator, joined(bottom)]) : numerator;
    }
    case "pow": {
      const [, base, exponent] = node;
      if (exponent[0] === "num" && exponent[1] === 0.5) return element("msqrt", [toMath(base)]);
      if (exponent[0] === "num" && exponent[1] < 0) return toMath(["mul", node]);
      return element("msup", [wrap(base, PRECEDENCE.atom), toMath(exponent)]);
    }
    case "call": {
      const [, name, ...args] = node;
      if (name === "abs") return row(mo("|"), toMath(args[0]), mo("|"));
      const shown = { heaviside: "H", dirac: "δ" }[name] ?? name;
      const list = args.flatMap((arg, k) => (k === 0 ? [toMath(arg)] : [mo(","), toMath(arg)]));
      return row(element("mi", [], shown), mo("\u2061"), fenced(row(...list)));
    }
    default:
      return element("mi", [], "?");
  }
}

// <math> for "label = tree", with the parser-syntax text as its accessible name and tooltip.
export function mathElement(label, tree) {
  const text = toText(tree);
  const math = element("math", [row(label, mo("="), toMath(tree))]);
  math.setAttribute("aria-label", text);
  math.dataset.text = text;
  return math;
}

// ∂f/∂letter as MathML.
export function partialLabel(letter) {
  return element("mfrac", [row(element("mi", [], "∂"), element("mi", [], "f")),
    row(element("mi", [], "∂"), element("mi", [], letter))]);
}

// Evaluate the JSON expression trees the server sends (data only, never code):
// ["num", v], ["var", name], ["add", ...], ["mul", ...], ["pow", base, exponent], ["call", name, ...].
// A tree is compiled once per formula into nested closures, in two forms: at a point (the readout, arrows,
// paths) and on a grid (the heat map), where it works on whole rows and columns at a time.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

// erf by its everywhere-positive series erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)):
// no cancellation, so full double precision; past |x| = 6 erf(x) rounds to +-1.
export function erf(x) {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) >= 6) return Math.sign(x);
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

const UNARY = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan,
  asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  exp: Math.exp, log: Math.log, abs: Math.abs, cbrt: Math.cbrt,
  sign: (v) => (Number.isNaN(v) ? NaN : Math.sign(v)),
  dirac: (v) => (v === 0 || Number.isNaN(v) ? NaN : 0),
  heaviside: (v) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : v < 0 ? 0 : 0.5),
  erf,
};
// Functions of several arguments, applied pairwise from the left (min and max are associative).
const BINARY = { atan2: Math.atan2, min: Math.min, max: Math.max };

// The power function with NumPy's float64 answers for the exponents the trees use most.
function power(base, exponent) {
  if (exponent === 2) return base * base;
  if (exponent === 0.5) return Math.sqrt(base);
  if (exponent === -1) return 1 / base;
  return base ** exponent;
}

function unaryFor(exponent) {
  if (exponent === 1) return (v) => v;
  if (exponent === 2) return (v) => v * v;
  if (exponent === 3) return (v) => v * v * v;
  if (exponent === 0.5) return Math.sqrt;
  if (exponent === -1) return (v) => 1 / v;
  if (exponent === -2) return (v) => 1 / (v * v);
  return (v) => v ** exponent;
}

function functionOf(name) {
  const fn = UNARY[name] ?? BINARY[name];
  if (!fn) throw new Error(`unknown function ${name}`);
  return fn;
}

// The letters of a tree, in the order the tree first names them.
export function treeLetters(tree, into = []) {
  if (tree[0] === "var") {
    if (!into.includes(tree[1])) into.push(tree[1]);
  } else if (tree[0] !== "num") {
    for (const child of tree.slice(tree[0] === "call" ? 2 : 1)) treeLetters(child, into);
  }
  return into;
}

// The letters in the order the formula's text first mentions them; letters the text does not show go last.
export function writtenOrder(formula, letters) {
  const seen = [];
  for (const match of String(formula).matchAll(/[A-Za-z_][A-Za-z_0-9]*/g)) {
    if (letters.includes(match[0]) && !seen.includes(match[0])) seen.push(match[0]);
  }
  return [...seen, ...letters.filter((letter) => !seen.includes(letter))];
}

// ---------- at a point ----------

// A tree -> env => number, where env[k] is the value of letters[k].
export function compilePoint(tree, letters) {
  const [kind, ...rest] = tree;
  switch (kind) {
    case "num": {
      const value = rest[0];
      return () => value;
    }
    case "var": {
      const slot = letters.indexOf(rest[0]);
      if (slot < 0) throw new Error(`unknown letter ${rest[0]}`);
      return (env) => env[slot];
    }
    case "add":
    case "mul": {
      const parts = rest.map((part) => compilePoint(part, letters));
      if (parts.length === 2) {
        const [a, b] = parts;
        return kind === "add" ? (env) => a(env) + b(env) : (env) => a(env) * b(env);
      }
      if (kind === "add") {
        return (env) => {
          let total = 0;
          for (const part of parts) total += part(env);
          return total;
        };
      }
      return (env) => {
        let product = 1;
        for (const part of parts) product *= part(env);
        return product;
      };
    }
    case "pow": {
      const [base, exponent] = rest.map((part) => compilePoint(part, letters));
      return (env) => power(base(env), exponent(env));
    }
    case "call": {
      const [name, ...args] = rest;
      const fn = functionOf(name);
      const parts = args.map((part) => compilePoint(part, letters));
      if (parts.length === 1) {
        const [a] = parts;
        return (env) => fn(a(env));
      }
      return (env) => parts.slice(1).reduce((acc, part) => fn(acc, part(env)), parts[0](env));
    }
    default:
      throw new Error(`unknown node ${kind}`);
  }
}

// ---------- on a grid ----------
// A node's shape is a bit mask: 0 a number (constants and parameters), 1 a row (varies with the horizontal
// letter only: nx values), 2 a column (the vertical letter only: ny values), 3 the whole grid (rows along the
// vertical letter). Parts in one letter are evaluated n times, not n^2 (exp(-x^2) in exp(-x^2)*exp(-y^2)).

const size = (shape, nx, ny) => (shape === 3 ? nx * ny : shape === 1 ? nx : shape === 2 ? ny : 0);

// Scratch arrays reused across evaluations, by length: a tree's intermediates never live longer than its parent.
class Pool {
  constructor() {
    this.free = new Map();
  }

  take(length) {
    const list = this.free.get(length);
    return list?.length ? list.pop() : new Float64Array(length);
  }

  give(array) {
    if (!(array instanceof Float64Array)) return;
    const list = this.free.get(array.length) ?? [];
    if (list.length < 8) list.push(array);
    this.free.set(array.length, list);
  }
}

// Strides that read a part of shape `shape` while walking an output of shape `outShape` by (row, column).
function strides(shape, nx) {
  return [shape & 2 ? (shape & 1 ? nx : 1) : 0, shape & 1 ? 1 : 0];
}

function combineInto(out, outShape, part, shape, g, multiply) {
  if (shape === 0) {
    if (multiply) for (let i = 0; i < out.length; i++) out[i] *= part;
    else for (let i = 0; i < out.length; i++) out[i] += part;
    return;
  }
  if (shape === outShape) {
    if (multiply) for (let i = 0; i < out.length; i++) out[i] *= part[i];
    else for (let i = 0; i < out.length; i++) out[i] += part[i];
    return;
  }
  const rows = outShape & 2 ? g.ny : 1;
  const cols = outShape & 1 ? g.nx : 1;
  const [rs, cs] = strides(shape, g.nx);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const p = r * rs;
    if (multiply) for (let c = 0; c < cols; c++) out[o + c] *= part[p + c * cs];
    else for (let c = 0; c < cols; c++) out[o + c] += part[p + c * cs];
  }
}

// The parent may overwrite what a node returns, so a letter's coordinates are handed out as a copy.
function copyOf(g, values) {
  const out = g.pool.take(values.length);
  out.set(values);
  return out;
}

function gridNode(tree, letters, axes) {
  const [kind, ...rest] = tree;
  switch (kind) {
    case "num": {
      const value = rest[0];
      return { shape: 0, run: () => value };
    }
    case "var": {
      const name = rest[0];
      if (name === axes[0]) {
        return { shape: 1, run: (g) => copyOf(g, g.xs) };
      }
      if (name === axes[1]) {
        return { shape: 2, run: (g) => copyOf(g, g.ys) };
      }
      const slot = letters.indexOf(name);
      if (slot < 0) throw new Error(`unknown letter ${name}`);
      return { shape: 0, run: (g) => g.env[slot] };
    }
    case "add":
    case "mul": {
      const multiply = kind === "mul";
      const parts = rest.map((part) => gridNode(part, letters, axes));
      const shape = parts.reduce((s, part) => s | part.shape, 0);
      const numbers = parts.filter((part) => part.shape === 0);
      const arrays = parts.filter((part) => part.shape !== 0);
      // An array already of the result's shape is accumulated into in place.
      const host = arrays.findIndex((part) => part.shape === shape);
      return {
        shape,
        run(g) {
          let scalar = multiply ? 1 : 0;
          for (const part of numbers) scalar = multiply ? scalar * part.run(g) : scalar + part.run(g);
          if (shape === 0) return scalar;
          let out;
          if (host >= 0) {
            out = arrays[host].run(g);
            if (scalar !== (multiply ? 1 : 0)) combineInto(out, shape, scalar, 0, g, multiply);
          } else {
            out = g.pool.take(size(shape, g.nx, g.ny)).fill(scalar);
          }
          arrays.forEach((part, k) => {
            if (k === host) return;
            const value = part.run(g);
            combineInto(out, shape, value, part.shape, g, multiply);
            g.pool.give(value);
          });
          return out;
        },
      };
    }
    case "pow": {
      const [base, exponent] = rest.map((part) => gridNode(part, letters, axes));
      if (exponent.shape === 0) {
        const fixed = tree[2][0] === "num" ? unaryFor(tree[2][1]) : null;
        return {
          shape: base.shape,
          run(g) {
            const fn = fixed ?? unaryFor(exponent.run(g));
            const b = base.run(g);
            if (base.shape === 0) return fn(b);
            for (let i = 0; i < b.length; i++) b[i] = fn(b[i]);
            return b;
          },
        };
      }
      return binaryNode(power, base, exponent);
    }
    case "call": {
      const [name, ...args] = rest;
      const fn = functionOf(name);
      const parts = args.map((part) => gridNode(part, letters, axes));
      if (parts.length === 1) {
        const [a] = parts;
        return {
          shape: a.shape,
          run(g) {
            const v = a.run(g);
            if (a.shape === 0) return fn(v);
            for (let i = 0; i < v.length; i++) v[i] = fn(v[i]);
            return v;
          },
        };
      }
      return parts.slice(1).reduce((acc, part) => binaryNode(fn, acc, part), parts[0]);
    }
    default:
      throw new Error(`unknown node ${kind}`);
  }
}

// fn(a, b) elementwise, broadcasting a row against a column.
function binaryNode(fn, a, b) {
  const shape = a.shape | b.shape;
  return {
    shape,
    run(g) {
      const va = a.run(g);
      const vb = b.run(g);
      if (shape === 0) return fn(va, vb);
      const out = g.pool.take(size(shape, g.nx, g.ny));
      const rows = shape & 2 ? g.ny : 1;
      const cols = shape & 1 ? g.nx : 1;
      const [ra, ca] = strides(a.shape, g.nx);
      const [rb, cb] = strides(b.shape, g.nx);
      const pa = a.shape === 0 ? [va] : va;
      const pb = b.shape === 0 ? [vb] : vb;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) out[r * cols + c] = fn(pa[r * ra + c * ca], pb[r * rb + c * cb]);
      }
      g.pool.give(va);
      g.pool.give(vb);
      return out;
    },
  };
}

// A tree -> (xs, ys, env) => Float64Array of nx * ny values, rows along ys. `axes` names the letters of the
// horizontal and vertical axes; every other letter is read from env[letters.indexOf(letter)].
export function compileGrid(tree, letters, axes) {
  const root = gridNode(tree, letters, axes);
  const pool = new Pool();
  return (xs, ys, env) => {
    const g = { xs, ys, env, nx: xs.length, ny: ys.length, pool };
    const value = root.run(g);
    if (root.shape === 3) return value;
    const out = new Float64Array(g.nx * g.ny);
    if (root.shape === 0) return out.fill(value);
    combineInto(out.fill(0), 3, value, root.shape, g, false);
    pool.give(value);
    return out;
  };
}

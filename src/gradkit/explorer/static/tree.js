// Evaluate the JSON expression trees the server sends (data only, never code):
// ["num", v], ["var", name], ["add", ...], ["mul", ...], ["pow", base, exponent], ["call", name, ...].

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

const FUNCTIONS = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan,
  asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  exp: Math.exp, log: Math.log, abs: Math.abs, cbrt: Math.cbrt,
  sign: (v) => (Number.isNaN(v) ? NaN : Math.sign(v)),
  dirac: (v) => (v === 0 || Number.isNaN(v) ? NaN : 0),
  heaviside: (v) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : v < 0 ? 0 : 0.5),
  erf,
  atan2: Math.atan2,
  min: (...values) => Math.min(...values),
  max: (...values) => Math.max(...values),
};

function power(base, exponent) {
  if (exponent === 2) return base * base;
  if (exponent === 0.5) return Math.sqrt(base);
  return base ** exponent;
}

// A JSON tree -> a function (x, y) => number, built once per formula.
export function compileTree(tree) {
  const [kind, ...rest] = tree;
  switch (kind) {
    case "num": {
      const value = rest[0];
      return () => value;
    }
    case "var":
      if (rest[0] === "x") return (x) => x;
      if (rest[0] === "y") return (x, y) => y;
      throw new Error(`unknown variable ${rest[0]}`);
    case "add": {
      const parts = rest.map(compileTree);
      return (x, y) => {
        let total = 0;
        for (const part of parts) total += part(x, y);
        return total;
      };
    }
    case "mul": {
      const parts = rest.map(compileTree);
      return (x, y) => {
        let product = 1;
        for (const part of parts) product *= part(x, y);
        return product;
      };
    }
    case "pow": {
      const [base, exponent] = rest.map(compileTree);
      return (x, y) => power(base(x, y), exponent(x, y));
    }
    case "call": {
      const [name, ...args] = rest;
      const fn = FUNCTIONS[name];
      if (!fn) throw new Error(`unknown function ${name}`);
      const parts = args.map(compileTree);
      if (parts.length === 1) {
        const [a] = parts;
        return (x, y) => fn(a(x, y));
      }
      return (x, y) => fn(...parts.map((part) => part(x, y)));
    }
    default:
      throw new Error(`unknown node ${kind}`);
  }
}

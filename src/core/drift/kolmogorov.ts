// The KS p-value for windows past 10,000 values, as SciPy's ks_2samp computes it there: the distribution of
// the one-sample statistic D_n (n the windows' effective size m·n/(m+n), rounded) at the two-sample D.
// Which method answers where follows Simard & L'Ecuyer (2011), as SciPy does: exact formulas at the edges,
// 2 × the one-sided Smirnov tail where the p-value is small, Durbin's matrix (Marsaglia, Tsang & Wang 2003)
// where it is exact and cheap, and the Pelz–Good series elsewhere.

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);

/** Round half to even, as numpy's round. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Two-sided two-sample KS p-value for windows too large for the exact count (the asymptotic route). */
export function ksPValueAsymptotic(n1: number, n2: number, d: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  return kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

/** P(D_n ≥ x) for the two-sided one-sample Kolmogorov statistic. */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // P(D_n < x) = n!/n^n (2t − 1)^n here (Ruben–Gambino).
    let cdf = 1;
    for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    // Durbin's matrix is exact here (SciPy uses it, or Pomeranz's exact recursion, below 4).
    if (nxx <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, x));
  if (nxx >= 18) return 0;
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/**
 * P(D_n⁺ ≥ x), exactly: x Σ_{j ≤ n(1−x)} C(n, j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j) (Birnbaum & Tingey). Every
 * term is positive; each is taken in logs with log C(n, j) built up step by step (no large lgamma), and
 * the sum is scaled by its largest term.
 */
export function smirnovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const last = Math.floor(n * (1 - x) + 1e-12);
  const logs = new Float64Array(last + 1);
  let logChoose = 0;
  let top = -Infinity;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logChoose += Math.log((n - j + 1) / j);
    const p = x + j / n;
    const q = 1 - x - j / n;
    const log = logChoose + (j - 1) * Math.log(p) + (n - j === 0 ? 0 : (n - j) * Math.log(q));
    logs[j] = q <= 0 && n - j > 0 ? -Infinity : log;
    if (logs[j] > top) top = logs[j];
  }
  let sum = 0;
  for (let j = 0; j <= last; j++) sum += Math.exp(logs[j] - top);
  return clip(x * sum * Math.exp(top));
}

/** P(D_n < d) by Durbin's matrix: the middle entry of Hⁿ, times n!/nⁿ, with scaling kept apart. */
export function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  // Below-diagonal entries 1/(i − j + 1)!; the first column and last row lose the corners' h-powers.
  const factorialInverse = new Float64Array(m + 1);
  factorialInverse[0] = 1;
  for (let i = 1; i <= m; i++) factorialInverse[i] = factorialInverse[i - 1] / i;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) if (i - j + 1 >= 0) H[i * m + j] = factorialInverse[i - j + 1];
  }
  for (let i = 0; i < m; i++) {
    H[i * m] = (1 - h ** (i + 1)) * factorialInverse[i + 1];
    H[(m - 1) * m + (m - 1 - i)] = (1 - h ** (i + 1)) * factorialInverse[i + 1];
  }
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m) * factorialInverse[m];
  // Hⁿ by squaring; powers of 2 pulled out as they grow.
  let power: Float64Array | undefined;
  let powerExponent = 0;
  let base: Float64Array = H;
  let baseExponent = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = power ? multiply(power, base, m) : Float64Array.from(base);
      powerExponent += baseExponent;
      const scale = scaleOf(power[(k - 1) * m + (k - 1)]);
      if (scale !== 0) {
        for (let i = 0; i < power.length; i++) power[i] *= 2 ** -scale;
        powerExponent += scale;
      }
    }
    if (e > 1) {
      base = multiply(base, base, m);
      baseExponent *= 2;
      const scale = scaleOf(base[(k - 1) * m + (k - 1)]);
      if (scale !== 0) {
        for (let i = 0; i < base.length; i++) base[i] *= 2 ** -scale;
        baseExponent += scale;
      }
    }
  }
  let p = (power as Float64Array)[(k - 1) * m + (k - 1)];
  // Times n!/nⁿ, keeping p in range.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (p !== 0 && Math.abs(p) < 2 ** -128) {
      p *= 2 ** 128;
      powerExponent -= 128;
    }
  }
  return p * 2 ** powerExponent;
}

/** A power of two to divide by when a value grows past 2^128 (0: leave it). */
function scaleOf(value: number): number {
  return Math.abs(value) > 2 ** 128 ? 128 : 0;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/** P(D_n ≤ x) by the Pelz–Good series: K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 with z = x√n. */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -PI2 / 8 / z2;
  if (logQ < -708) return 0;
  const q = Math.exp(logQ);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  // Sums over odd m = 2k − 1 of c_i(m) q^(m²), by Horner in q^8k.
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const odd = 2 * k - 1;
    const o2 = odd * odd;
    const o4 = o2 * o2;
    const o6 = o4 * o2;
    const step = q ** (8 * k);
    const coefficients = [1, k1a + k1b * o2, k2a + k2b * o2 + k2c * o4, k3a + k3b * o2 + k3c * o4 + k3d * o6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * step + coefficients[i];
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / denominators[i];
  // The sums over all integers k of K2 and K3.
  const q2 = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k > 0; k--) {
    const kk = k * k;
    const power = q2 ** kk;
    k2extra += kk * power;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * kk * power;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / n ** 1.5;
}

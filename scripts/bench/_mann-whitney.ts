// Statistics for scripts/bench/timing-oracle.ts: does one sample of response times run slower than another?

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Two-sided p-value of the Mann-Whitney U test (normal approximation, tie and continuity corrected). */
export function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end + 1 < all.length && all[end + 1]!.value === all[start]!.value) end += 1;
    const count = end - start + 1;
    for (let i = start; i <= end; i += 1) ranks[i] = (start + end) / 2 + 1;
    tieTerm += count ** 3 - count;
    start = end + 1;
  }
  const rankSumA = all.reduce((sum, entry, i) => (entry.fromA ? sum + ranks[i]! : sum), 0);
  const [n1, n2] = [a.length, b.length];
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (Math.abs(u - mean) - 0.5) / sd;
  return Math.min(1, 2 * (1 - standardNormalCdf(Math.max(0, z))));
}

function standardNormalCdf(z: number): number {
  // Abramowitz and Stegun 7.1.26 for erf, |error| < 1.5e-7.
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * (1 + (1 - poly * Math.exp(-x * x)));
}

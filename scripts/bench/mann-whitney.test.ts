import { expect, it } from "vitest";
import { mannWhitneyP, median } from "./_mann-whitney";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

it("median of odd and even samples", () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
});

it("Mann-Whitney U: two-sided p of the normal approximation with continuity and tie correction", () => {
  // U = 0, z = (50 - 0.5) / sqrt(100 / 12 * 21) = 3.7417: p = 0.000183 (scipy's mannwhitneyu, asymptotic).
  expect(mannWhitneyP(range(1, 10), range(11, 20))).toBeCloseTo(0.000183, 5);
  expect(mannWhitneyP(range(11, 20), range(1, 10))).toBeCloseTo(0.000183, 5);
  expect(mannWhitneyP(range(1, 10), range(1, 10))).toBeCloseTo(1, 6);
  // Ties: every value equal in both samples tells nothing.
  expect(mannWhitneyP([1, 1, 2, 2], [1, 2, 2, 1])).toBeCloseTo(1, 6);
});

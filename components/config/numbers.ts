/**
 * Whole-number settings read the way a person means them: a value outside the setting's range, however
 * it is spelt (`1e20` reaches the program as "100000000000000000000", far past JavaScript's exact
 * integers), is refused with the range itself, not with a number-type limit the operator never chose.
 */
import type { z } from "zod";

/** The `[min, max]` a zod number schema allows, when it says. */
export function rangeOf(schema: z.ZodType): { min: number | undefined; max: number | undefined } {
  const bounds = schema as unknown as { minValue?: number | null; maxValue?: number | null };
  const finite = (n: number | null | undefined) => (typeof n === "number" && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
  return { min: finite(bounds.minValue), max: finite(bounds.maxValue) };
}

/** "a whole number from 1 to 20" (or "… of at least 12", "a whole number"). */
export function describeRange(schema: z.ZodType): string {
  const { min, max } = rangeOf(schema);
  if (min !== undefined && max !== undefined) return `a whole number from ${min} to ${max}`;
  if (min !== undefined) return `a whole number of at least ${min}`;
  if (max !== undefined) return `a whole number of at most ${max}`;
  return "a whole number";
}

/** The rotation runbook: issue for the current period, with a counter the chain accepts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { counterWindow, isCounterAccepted, rotationAdvice } from "../../components/keys/rotation";
import { NETWORKS } from "../../components/networks/networks";

describe("counter rule: m ≤ n ≤ m + 1", () => {
  it("accepts exactly the last on-chain counter and the next one", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_002), (m, n) => {
        expect(isCounterAccepted(n, m)).toBe(n === m || n === m + 1);
      }),
    );
  });

  it("starts at 0 for a pool that never made a block: 0 and 1 are accepted", () => {
    expect(counterWindow(0)).toEqual({ lastOnChain: 0, lowest: 0, highest: 1 });
  });

  it("refuses a negative or fractional on-chain counter", () => {
    expect(() => counterWindow(-1)).toThrow(RangeError);
    expect(() => counterWindow(1.5)).toThrow(RangeError);
  });
});

describe("rotationAdvice", () => {
  it("issues for the current KES period and says when that certificate expires", () => {
    // preview at 2026-01-01T00:00:00Z: slot 100569600 = 776 × 129600 → period 776;
    // expires at (776 + 62) × 129600 = 108604800 → 1666656000 + 108604800 = 1775260800 = 2026-04-04T00:00:00Z
    const advice = rotationAdvice(NETWORKS.preview, new Date("2026-01-01T00:00:00Z"), 4);
    expect(advice.kesPeriod).toBe(776);
    expect(advice.endKesPeriod).toBe(838);
    expect(advice.expiresAtSlot).toBe(108604800);
    expect(advice.expiresAt.toISOString()).toBe("2026-04-04T00:00:00.000Z");
    expect(advice.counter).toEqual({ lastOnChain: 4, lowest: 4, highest: 5 });
    expect(advice.steps.join("\n")).toContain("--kes-period 776");
    expect(advice.steps.join("\n")).toContain("--counter-value 5");
    expect(advice.steps.at(-1)).toBe("pulumi up");
  });

  it("leaves the counter step out when the on-chain counter is unknown", () => {
    const advice = rotationAdvice(NETWORKS.mainnet, new Date("2026-01-01T00:00:00Z"));
    expect(advice.kesPeriod).toBe(1355);
    expect(advice.counter).toBeUndefined();
    expect(advice.steps.join("\n")).not.toContain("new-counter");
  });
});

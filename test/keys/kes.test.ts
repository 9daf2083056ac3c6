/**
 * Slots and KES periods from genesis values, checked by hand, and the opcert's validity window.
 *
 * Genesis values (facts/cardano.md, Shelley genesis files): first Shelley slot @ unix time
 *   mainnet 4492800 @ 1596059091 (2020-07-29T21:44:51Z), preprod 86400 @ 1655769600 (2022-06-21T00:00:00Z),
 *   preview 0 @ 1666656000 (2022-10-25T00:00:00Z); slot length 1 s; 129600 slots per KES period; 62 evolutions.
 * 2026-01-01T00:00:00Z is unix time 1767225600 (`date -u -d @1767225600`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Findings } from "../../components/config/problems";
import {
  BeforeShelleyError,
  isOpcertValidIn,
  kesPeriodAt,
  kesPeriodOf,
  opcertValidity,
  slotAt,
  timeOfSlot,
} from "../../components/keys/kes";
import { ALLOW_EXPIRED_OPCERT_SETTING, checkOpcert, opcertStatus } from "../../components/keys/opcert-check";
import { NETWORKS, NETWORK_NAMES } from "../../components/networks/networks";

const NEW_YEAR_2026 = new Date("2026-01-01T00:00:00Z");

describe("slot and KES period at 2026-01-01T00:00:00Z", () => {
  it("mainnet: slot 175659309, KES period 1355", () => {
    // slot = 4492800 + (1767225600 − 1596059091) = 4492800 + 171166509 = 175659309
    // period = floor(175659309 / 129600) = 1355   (1355 × 129600 = 175608000 ≤ slot < 175737600 = 1356 × 129600)
    expect(slotAt(NETWORKS.mainnet.timing, NEW_YEAR_2026)).toBe(175659309);
    expect(kesPeriodAt(NETWORKS.mainnet.timing, NEW_YEAR_2026)).toBe(1355);
  });

  it("preprod: slot 111542400, KES period 860", () => {
    // slot = 86400 + (1767225600 − 1655769600) = 86400 + 111456000 = 111542400
    // period = floor(111542400 / 129600) = 860    (860 × 129600 = 111456000; 861 × 129600 = 111585600)
    expect(slotAt(NETWORKS.preprod.timing, NEW_YEAR_2026)).toBe(111542400);
    expect(kesPeriodAt(NETWORKS.preprod.timing, NEW_YEAR_2026)).toBe(860);
  });

  it("preview: slot 100569600, the first slot of KES period 776", () => {
    // slot = 0 + (1767225600 − 1666656000) = 100569600 = 776 × 129600 exactly (776 × 129600 = 100569600)
    expect(slotAt(NETWORKS.preview.timing, NEW_YEAR_2026)).toBe(100569600);
    expect(kesPeriodAt(NETWORKS.preview.timing, NEW_YEAR_2026)).toBe(776);
    // one second earlier: slot 100569599, still period 775
    expect(kesPeriodAt(NETWORKS.preview.timing, new Date("2025-12-31T23:59:59Z"))).toBe(775);
    // and 999 ms later it is still slot 100569600 (slots are whole seconds)
    expect(slotAt(NETWORKS.preview.timing, new Date("2026-01-01T00:00:00.999Z"))).toBe(100569600);
  });
});

describe("the Shelley start", () => {
  it("is the first Shelley slot, and its KES period", () => {
    // mainnet: 4492800 / 129600 = 34.67 → period 34; preprod: 86400 / 129600 → 0; preview: 0
    expect(slotAt(NETWORKS.mainnet.timing, new Date("2020-07-29T21:44:51Z"))).toBe(4492800);
    expect(kesPeriodAt(NETWORKS.mainnet.timing, new Date("2020-07-29T21:44:51Z"))).toBe(34);
    expect(slotAt(NETWORKS.preprod.timing, new Date("2022-06-21T00:00:00Z"))).toBe(86400);
    expect(kesPeriodAt(NETWORKS.preprod.timing, new Date("2022-06-21T00:00:00Z"))).toBe(0);
    expect(slotAt(NETWORKS.preview.timing, new Date("2022-10-25T00:00:00Z"))).toBe(0);
  });

  it.each(NETWORK_NAMES)("refuses a time before it on %s", (name) => {
    const start = NETWORKS[name].timing.firstShelleyTime * 1000;
    expect(() => slotAt(NETWORKS[name].timing, new Date(start - 1))).toThrow(BeforeShelleyError);
    expect(() => timeOfSlot(NETWORKS[name].timing, NETWORKS[name].timing.firstShelleySlot - 1)).toThrow(BeforeShelleyError);
  });

  it("refuses an invalid date", () => {
    expect(() => slotAt(NETWORKS.preview.timing, new Date("not a date"))).toThrow(RangeError);
  });
});

describe("node.opcert (start KES period 1000) expires at slot (1000 + 62) × 129600 = 137635200", () => {
  it("on mainnet at 2024-10-17T21:44:51Z", () => {
    // 1596059091 + (137635200 − 4492800) = 1596059091 + 133142400 = 1729201491 → 2024-10-17T21:44:51Z
    const v = opcertValidity(NETWORKS.mainnet.timing, 1000);
    expect(v.endKesPeriod).toBe(1062);
    expect(v.expiresAtSlot).toBe(137635200);
    expect(v.expiresAt.toISOString()).toBe("2024-10-17T21:44:51.000Z");
  });

  it("on preprod at 2026-10-30T00:00:00Z", () => {
    // 1655769600 + (137635200 − 86400) = 1655769600 + 137548800 = 1793318400 → 2026-10-30T00:00:00Z
    expect(opcertValidity(NETWORKS.preprod.timing, 1000).expiresAt.toISOString()).toBe("2026-10-30T00:00:00.000Z");
  });

  it("on preview at 2027-03-06T00:00:00Z", () => {
    // 1666656000 + 137635200 = 1804291200 → 2027-03-06T00:00:00Z
    expect(opcertValidity(NETWORKS.preview.timing, 1000).expiresAt.toISOString()).toBe("2027-03-06T00:00:00.000Z");
  });
});

const network = fc.constantFrom(...NETWORK_NAMES).map((n) => NETWORKS[n]);
/** Times from each network's Shelley start to 2100. */
const timeOn = (n: (typeof NETWORKS)["mainnet"]) =>
  fc.integer({ min: n.timing.firstShelleyTime * 1000, max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));

describe("properties", () => {
  it("slot and KES period never go back as time goes forward", () => {
    fc.assert(
      fc.property(network.chain((n) => fc.tuple(fc.constant(n), timeOn(n), timeOn(n))), ([n, a, b]) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(slotAt(n.timing, early)).toBeLessThanOrEqual(slotAt(n.timing, late));
        expect(kesPeriodAt(n.timing, early)).toBeLessThanOrEqual(kesPeriodAt(n.timing, late));
      }),
    );
  });

  it("a KES period lasts 129600 slots = 36 hours", () => {
    fc.assert(
      fc.property(network.chain((n) => fc.tuple(fc.constant(n), timeOn(n))), ([n, t]) => {
        const p = kesPeriodAt(n.timing, t);
        expect(kesPeriodAt(n.timing, new Date(t.getTime() + 36 * 3600 * 1000))).toBe(p + 1);
      }),
    );
  });

  it("time → slot → time lands at the start of the slot in progress", () => {
    fc.assert(
      fc.property(network.chain((n) => fc.tuple(fc.constant(n), timeOn(n))), ([n, t]) => {
        const start = timeOfSlot(n.timing, slotAt(n.timing, t)).getTime();
        expect(start).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime() - start).toBeLessThan(1000);
      }),
    );
  });

  it("an opcert expires exactly 62 periods (93 days) after its start period begins", () => {
    fc.assert(
      fc.property(network, fc.integer({ min: 35, max: 100_000 }), (n, c0) => {
        const v = opcertValidity(n.timing, c0);
        expect(v.endKesPeriod - v.startKesPeriod).toBe(62);
        expect(v.expiresAtSlot).toBe((c0 + 62) * 129600);
        expect(kesPeriodOf(n.timing, v.expiresAtSlot)).toBe(c0 + 62);
        expect(kesPeriodOf(n.timing, v.expiresAtSlot - 1)).toBe(c0 + 61);
        expect(v.expiresAt.getTime() - v.validFrom!.getTime()).toBe(93 * 86_400_000);
      }),
    );
  });

  it("validity is exactly c0 ≤ period < c0 + 62", () => {
    fc.assert(
      fc.property(network, fc.nat(10_000), fc.integer({ min: -5, max: 70 }), (n, c0, offset) => {
        const p = c0 + offset;
        expect(isOpcertValidIn(n.timing, c0, p)).toBe(offset >= 0 && offset <= 61);
      }),
    );
  });
});

describe("checkOpcert", () => {
  const preview = NETWORKS.preview;
  // At 2026-01-01T00:00:00Z preview enters KES period 776 (computed above).

  it("accepts a certificate for the current period without a word", () => {
    const findings = checkOpcert({ startKesPeriod: 776 }, preview, NEW_YEAR_2026);
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toEqual([]);
  });

  it("refuses a start period in the future and gives the period to issue for", () => {
    const findings = checkOpcert({ startKesPeriod: 777 }, preview, NEW_YEAR_2026);
    expect(findings.problems).toHaveLength(1);
    const [p] = findings.problems;
    expect(p!.setting).toBe("stakepool:operationalCertificate");
    expect(p!.message).toContain("starts at KES period 777");
    expect(p!.message).toContain("KES period 776");
    expect(p!.fix).toContain("--kes-period 776");
  });

  it("refuses an expired certificate, proposing a rotation or the recovery override", () => {
    // started 776 − 62 = 714: valid for 714..775, expired from 776 on
    const findings = checkOpcert({ startKesPeriod: 714 }, preview, NEW_YEAR_2026);
    expect(findings.problems).toHaveLength(1);
    expect(findings.problems[0]!.message).toContain("expired at 2026-01-01T00:00:00Z");
    expect(findings.problems[0]!.fix).toContain(`pulumi config set ${ALLOW_EXPIRED_OPCERT_SETTING} true`);
    expect(findings.problems[0]!.fix).toContain("--kes-period 776");
  });

  it("lets an expired certificate through as a warning when the override is set", () => {
    const findings = checkOpcert({ startKesPeriod: 714 }, preview, NEW_YEAR_2026, { allowExpired: true });
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toHaveLength(1);
    expect(findings.warnings[0]!.message).toContain("cannot forge");
  });

  it("still accepts the last valid period", () => {
    // started 715: valid for 715..776, expires when 777 starts, 2026-01-02T12:00:00Z (36 h later)
    const findings = checkOpcert({ startKesPeriod: 715 }, preview, NEW_YEAR_2026);
    expect(findings.problems).toEqual([]);
    expect(findings.warnings[0]!.message).toContain("expires at 2026-01-02T12:00:00Z");
    expect(findings.warnings[0]!.message).toContain("in 1 day");
  });

  it("warns with the date inside 14 days of expiry, and not before", () => {
    const c0 = 776;
    const expiry = opcertValidity(preview.timing, c0).expiresAt.getTime(); // 2026-04-04T00:00:00Z
    const day = 86_400_000;
    const at = (ms: number): Findings => checkOpcert({ startKesPeriod: c0 }, preview, new Date(ms));
    expect(at(expiry - 14 * day - 1000).warnings).toEqual([]);
    expect(at(expiry - 14 * day).warnings.map((w) => w.message)).toEqual([expect.stringContaining("expires at 2026-04-04T00:00:00Z (in 14 days")]);
    expect(at(expiry - 1000).warnings[0]!.message).toContain("in less than a day");
    expect(at(expiry).problems[0]!.message).toContain("expired");
  });

  it("agrees with opcertStatus on every time", () => {
    fc.assert(
      fc.property(fc.integer({ min: 700, max: 800 }), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }), (c0, ms) => {
        const now = new Date(ms);
        const status = opcertStatus(preview.timing, c0, now);
        const findings = checkOpcert({ startKesPeriod: c0 }, preview, now);
        expect(findings.problems.length === 0).toBe(status.state === "valid");
        expect(status.periodsLeft).toBe(status.state === "expired" ? 0 : c0 + 62 - Math.max(status.kesPeriod, c0));
      }),
    );
  });
});

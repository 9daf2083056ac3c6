/**
 * The registration's numbers: pledge and cost in whole lovelace up to the ADA supply, the cost at
 * least the network's minimum pool cost, the margin a decimal the ledger can hold; and the stack name,
 * which every host's name carries.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPoolCost, lovelaceError, marginError, marginMeant } from "../../components/config/pool-numbers";
import { Findings } from "../../components/config/problems";
import { MAX_LOVELACE_SUPPLY, MIN_POOL_COST } from "../../components/networks/ledger-parameters";
import { checkStackName, longestAwsHost } from "../../components/pool/stack-name";

describe("lovelace amounts (pledge, cost)", () => {
  it("accept digits without leading zeros up to the ADA supply, and nothing else", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_LOVELACE_SUPPLY * 3n }), (n) => {
        expect(lovelaceError(n.toString()) === undefined).toBe(n <= MAX_LOVELACE_SUPPLY);
      }),
    );
    expect(lovelaceError("45000000000000000")).toBeUndefined();
    expect(lovelaceError("45000000000000001")).toContain("more than the ADA supply of 45,000,000,000 ADA");
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !/^\d+$/.test(s)), (s) => {
        expect(lovelaceError(s)).toMatch(/digits only/);
      }),
    );
    expect(lovelaceError("0100")).toContain("leading zeros");
    expect(lovelaceError("0")).toBeUndefined();
    expect(lovelaceError("")).toBeUndefined();
  });

  it("refuse a cost below the network's minimum pool cost, naming it in ADA and lovelace", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const min = MIN_POOL_COST[network];
      const problems = (cost: string) => {
        const findings = new Findings();
        checkPoolCost(cost, network, "stakepool:cost", findings);
        return findings.problems;
      };
      expect(problems((min - 1n).toString())[0]?.message).toContain(`minimum pool cost of 170 ADA (${min} lovelace)`);
      expect(problems("0")[0]?.fix).toContain(`pulumi config set stakepool:cost ${min}`);
      expect(problems(min.toString())).toEqual([]);
      expect(problems("")).toEqual([]);
    }
  });
});

describe("the margin", () => {
  it("accepts decimals from 0 to 1 with at most 19 digits after the point", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,25}$/), (digits) => {
        expect(marginError(`0.${digits}`) === undefined).toBe(digits.length <= 19);
      }),
    );
    for (const ok of ["0", "1", "0.01", "1.000", "0.5"]) expect(marginError(ok), ok).toBeUndefined();
    for (const bad of ["1.5", "1.0001", "2", "-0.1", "NaN", " 0.1"]) expect(marginError(bad), bad).toBeDefined();
  });

  it.each([
    ["5%", "0.05"],
    ["1.5 %", "0.015"],
    ["0,01", "0.01"],
    ["1/100", "0.01"],
    [".5", "0.5"],
    ["1e-2", "0.01"],
  ])("refuses %j and names the decimal meant, %s", (written, meant) => {
    expect(marginMeant(written)).toBe(meant);
    expect(marginError(written)).toContain(`did you mean ${meant}?`);
  });
});

describe("the stack name in every host's name", () => {
  const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

  it("is refused exactly when some <stack>-<host> is not a valid host name (Pulumi's alphabet, up to 100 characters)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1,100}$/), fc.integer({ min: 1, max: 20 }), (stack, relays) => {
        const findings = new Findings();
        checkStackName(stack, longestAwsHost(relays), findings);
        const hosts = ["core", ...Array.from({ length: relays }, (_, i) => `relay-${i + 1}`)];
        const valid = hosts.every((h) => LABEL.test(`${stack}-${h}`));
        expect(findings.problems.map((p) => p.setting)).toEqual(valid ? [] : ["stack name"]);
      }),
    );
  });

  it("says why and proposes a name that fits", () => {
    const findings = new Findings();
    checkStackName("My_Pool.Mainnet", longestAwsHost(2), findings);
    expect(findings.problems[0]!.message).toContain('holds "_"');
    expect(findings.problems[0]!.fix).toContain("pulumi stack init my-pool-mainnet");
    const long = new Findings();
    checkStackName("p".repeat(98), longestAwsHost(20), long);
    expect(long.problems[0]!.message).toContain("107 characters long");
    expect(long.problems[0]!.fix).toContain(`at most 54 letters`);
  });
});

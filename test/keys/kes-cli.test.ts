/**
 * `npm run --silent kes` as an operator runs it (a subprocess), at 2026-01-01T00:00:00Z = unix 1767225600.
 * Every expected number is worked out by hand from the genesis values next to it:
 * slot = firstShelleySlot + (t − firstShelleyTime); period = floor(slot / 129600);
 * time of slot s = firstShelleyTime + (s − firstShelleySlot); dates by `date -u -d @<unix>`.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fixturePath, ROOT, TSX } from "../fixtures/paths";

const run = promisify(execFile);

async function kes(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [path.join(ROOT, "cli/kes.ts"), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function kesJson(args: readonly string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await kes(args);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as Record<string, unknown>;
}

const AT = "2026-01-01T00:00:00Z";

describe("npm run kes", () => {
  it("mainnet: slot and KES period, and what a certificate issued now would be", async () => {
    expect(await kesJson(["--network", "mainnet", "--at", AT])).toEqual({
      network: "mainnet",
      at: AT,
      slot: 175659309, // 4492800 + (1767225600 − 1596059091)
      kesPeriod: 1355, // floor(175659309 / 129600)
      nextKesPeriodAt: "2026-01-01T21:44:51Z", // slot 1356 × 129600 = 175737600 → 1596059091 + 171244800 = 1767303891
      issueNow: {
        kesPeriod: 1355,
        expiresAtSlot: 183643200, // (1355 + 62) × 129600
        expiresAt: "2026-04-03T09:44:51Z", // 1596059091 + (183643200 − 4492800) = 1775209491
      },
    });
  });

  it("preprod: slot and KES period", async () => {
    const out = await kesJson(["--network", "preprod", "--at", AT]);
    expect(out.slot).toBe(111542400); // 86400 + (1767225600 − 1655769600)
    expect(out.kesPeriod).toBe(860); // floor(111542400 / 129600)
    expect(out.nextKesPeriodAt).toBe("2026-01-01T12:00:00Z"); // 861 × 129600 = 111585600 → 1655769600 + 111499200
    expect(out.issueNow).toEqual({ kesPeriod: 860, expiresAtSlot: 119491200, expiresAt: "2026-04-03T00:00:00Z" }); // 922 × 129600; 1655769600 + 119404800
  });

  it("preview: slot and KES period", async () => {
    const out = await kesJson(["--network", "preview", "--at", AT]);
    expect(out.slot).toBe(100569600); // 0 + (1767225600 − 1666656000)
    expect(out.kesPeriod).toBe(776); // 100569600 / 129600 = 776 exactly
    expect(out.nextKesPeriodAt).toBe("2026-01-02T12:00:00Z"); // 777 × 129600 = 100699200 → 1666656000 + 100699200
  });

  it("accepts a time with an offset, the same instant as in UTC", async () => {
    const out = await kesJson(["--network", "preview", "--at", "2026-01-01T01:00:00+01:00"]);
    expect(out.slot).toBe(100569600);
  });

  it("reads node.cert: counter, start period, expiry, pool id (mainnet: expired by then)", async () => {
    const out = await kesJson(["--network", "mainnet", "--at", AT, "--opcert", fixturePath("keys/node.opcert"), "--on-chain-counter", "0"]);
    expect(out).toMatchObject({
      counter: 0,
      startKesPeriod: 1000,
      endKesPeriod: 1062,
      expiresAtSlot: 137635200, // (1000 + 62) × 129600
      expiresAt: "2024-10-17T21:44:51Z", // 1596059091 + (137635200 − 4492800) = 1729201491
      state: "expired", // period 1355 ≥ 1062
      periodsLeft: 0,
      poolId: "pool1sxqu4my5wwjyfslu3l9q9c2e2hwgqcyy98fsat2khtw7spu5hm5",
      poolIdHex: "8181caec9473a444c3fc8fca02e15955dc80608429d30ead56badde8",
      acceptedCounters: [0, 1],
      counterAccepted: true,
    });
  });

  it("reads node.cert on preprod and preview: not valid yet at that time", async () => {
    const preprod = await kesJson(["--network", "preprod", "--at", AT, "--opcert", fixturePath("keys/node.opcert")]);
    expect(preprod).toMatchObject({ expiresAt: "2026-10-30T00:00:00Z", state: "not-yet-valid", periodsLeft: 62 }); // 1655769600 + 137548800
    const preview = await kesJson(["--network", "preview", "--at", AT, "--opcert", fixturePath("keys/node.opcert")]);
    expect(preview).toMatchObject({ expiresAt: "2027-03-06T00:00:00Z", state: "not-yet-valid" }); // 1666656000 + 137635200
  });

  it("works through the npm script, as documented", async () => {
    const { stdout } = await run("npm", ["run", "--silent", "kes", "--", "--network", "preview", "--at", AT], { cwd: ROOT });
    expect(JSON.parse(stdout)).toMatchObject({ slot: 100569600, kesPeriod: 776 });
  });

  it("uses the current time when --at is left out", async () => {
    const before = Date.now();
    const out = await kesJson(["--network", "preview"]);
    // preview slot = seconds since 1666656000 (one slot per second), taken between before and after
    expect(out.slot).toBeGreaterThanOrEqual(Math.floor(before / 1000) - 1666656000);
    expect(out.slot).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 1666656000);
  });

  it.each([
    [["--at", AT], 2, "--network is required"],
    [["--network", "testnet", "--at", AT], 2, "mainnet, preprod, preview"],
    [["--network", "preview", "--at", "2026-01-01T00:00:00"], 2, "with a time zone"],
    [["--network", "preview", "--at", "yesterday"], 2, "not an ISO-8601 time"],
    [["--network", "preview", "--at", AT, "--bogus"], 2, "bogus"],
    [["--network", "mainnet", "--at", "2020-01-01T00:00:00Z"], 1, "before the network's first Shelley slot"],
    [["--network", "preview", "--at", AT, "--opcert", "/nonexistent/node.cert"], 1, "/nonexistent/node.cert: no such file"],
    [["--network", "preview", "--at", AT, "--opcert", fixturePath("keys/cold.skey")], 1, "must stay on the offline machine"],
    [["--network", "preview", "--at", AT, "--opcert", fixturePath("keys/vrf.skey")], 1, '"NodeOperationalCertificate"'],
  ] as const)("refuses %j with exit %i and a clear message", async (args, code, message) => {
    const result = await kes(args);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("never prints the key material of a refused file", async () => {
    const { stderr } = await kes(["--network", "preview", "--at", AT, "--opcert", fixturePath("keys/cold.skey")]);
    expect(stderr).not.toContain("86f64a96dd4b476cbd6e8adf36d0aa9e");
  });

  it("refuses a device as the certificate at once, and prints a hostile file name escaped", async () => {
    const zero = await kes(["--network", "preview", "--opcert", "/dev/zero"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toBe("kes: /dev/zero: is not a regular file\n");
    const named = await kes(["--network", "preview", "--opcert", "/nonexistent/\u001b]0;x\u0007"]);
    expect(named.stderr).toBe("kes: /nonexistent/\\u{1B}]0;x\\u{7}: no such file\n");
  });
});

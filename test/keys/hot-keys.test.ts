/** The program's one call: all three hot files or none, matching each other, valid now. */
import { describe, expect, it } from "vitest";
import { Findings } from "../../components/config/problems";
import { WITHHELD_SECRET } from "../../components/config/withheld";
import { readHotKeys, type HotKeyInputs } from "../../components/keys/hot-keys";
import { NETWORKS } from "../../components/networks/networks";
import { cborHexOf, fixtureText } from "../fixtures/paths";

// kes-sum6.skey's verification key, as stored inside the kes.skey vector (bytes 640..671, the top
// node's vk0), independent of how the kit derives it: see test/fixtures/README.md.
const SUM6_VKEY = "75a2e39da792a867692878880bb7f1c678427dee808e485e29ad54b8f66d6a3f";

/** node.opcert with its KES verification key (hex digits 8..71) replaced. */
function opcertFor(kesVkeyHex: string): string {
  const hex = cborHexOf("keys/node.opcert");
  return JSON.stringify({ type: "NodeOperationalCertificate", description: "", cborHex: `${hex.slice(0, 8)}${kesVkeyHex}${hex.slice(72)}` });
}

const KES = fixtureText("keys/kes-sum6.skey");
const VRF = fixtureText("keys/vrf.skey");
const MATCHING_OPCERT = opcertFor(SUM6_VKEY);
// node.opcert starts at KES period 1000; on preview that period runs from 1666656000 + 1000 × 129600
// = 1796256000 (2026-12-03T00:00:00Z) and the certificate expires at 2027-03-06T00:00:00Z.
const VALID_TIME = new Date("2027-01-01T00:00:00Z");

function read(inputs: HotKeyInputs, now: Date = VALID_TIME, allowExpiredOpcert = false): { result: ReturnType<typeof readHotKeys>; findings: Findings } {
  const findings = new Findings();
  const result = readHotKeys(inputs, NETWORKS.preview, now, { allowExpiredOpcert }, findings);
  return { result, findings };
}

describe("readHotKeys", () => {
  it("accepts a matching KES key, VRF key and certificate, and names the pool", () => {
    const { result, findings } = read({ kesSigningKey: KES, vrfSigningKey: VRF, operationalCertificate: MATCHING_OPCERT });
    expect(findings.problems).toEqual([]);
    expect(result.state).toBe("checked");
    expect(result.operationalCertificate?.startKesPeriod).toBe(1000);
    expect(result.poolId?.bech32).toBe("pool1sxqu4my5wwjyfslu3l9q9c2e2hwgqcyy98fsat2khtw7spu5hm5");
    expect(result.opcertStatus?.state).toBe("valid");
  });

  it("refuses a certificate issued for another KES key", () => {
    const { result, findings } = read({ kesSigningKey: KES, vrfSigningKey: VRF, operationalCertificate: fixtureText("keys/node.opcert") });
    expect(result.state).toBe("invalid");
    expect(findings.problems.map((p) => p.message)).toEqual([expect.stringContaining("different KES key")]);
  });

  it("refuses a certificate that is not valid yet at deploy time", () => {
    const { findings } = read({ kesSigningKey: KES, vrfSigningKey: VRF, operationalCertificate: MATCHING_OPCERT }, new Date("2026-06-01T00:00:00Z"));
    expect(findings.problems.map((p) => p.message)).toEqual([expect.stringContaining("starts at KES period 1000")]);
  });

  it("passes an expired certificate only with stakepool:allowExpiredOpcert", () => {
    const late = new Date("2027-06-01T00:00:00Z");
    const inputs = { kesSigningKey: KES, vrfSigningKey: VRF, operationalCertificate: MATCHING_OPCERT };
    expect(read(inputs, late).findings.problems[0]!.message).toContain("expired");
    const allowed = read(inputs, late, true);
    expect(allowed.findings.problems).toEqual([]);
    expect(allowed.result.opcertStatus?.state).toBe("expired");
  });

  it("asks for the missing ones when only some are set", () => {
    const { result, findings } = read({ kesSigningKey: KES, vrfSigningKey: "" });
    expect(result.state).toBe("invalid");
    expect(findings.problems.map((p) => p.setting)).toEqual(["stakepool:vrfSigningKey", "stakepool:operationalCertificate"]);
    expect(findings.problems[0]!.fix).toBe("pulumi config set --secret stakepool:vrfSigningKey < vrf.skey");
  });

  it("runs a passive core, with a warning, when none is set", () => {
    const { result, findings } = read({});
    expect(result.state).toBe("absent");
    expect(findings.problems).toEqual([]);
    expect(findings.warnings[0]!.message).toContain("passive node");
  });

  it("checks only presence of secrets the plan cannot decrypt", () => {
    const { result, findings } = read({ kesSigningKey: WITHHELD_SECRET, vrfSigningKey: WITHHELD_SECRET, operationalCertificate: WITHHELD_SECRET });
    expect(result.state).toBe("withheld");
    expect(findings.problems).toEqual([]);
  });

  it("refuses a cold key in any of the three settings", () => {
    const { findings } = read({ kesSigningKey: KES, vrfSigningKey: fixtureText("keys/cold.skey"), operationalCertificate: fixtureText("keys/cold.counter") });
    expect(findings.problems.map((p) => p.setting)).toEqual(["stakepool:vrfSigningKey", "stakepool:operationalCertificate"]);
    expect(findings.problems.every((p) => p.message.includes("offline machine"))).toBe(true);
  });
});

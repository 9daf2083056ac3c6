import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readSettings } from "../../components/config/read";
import { rawConfig } from "../helpers/config";

const problemsOf = (raw: ReturnType<typeof rawConfig>) => readSettings(raw).findings.problems;

describe("reading stack settings", () => {
  it("fills every optional setting with its documented default", () => {
    const { settings, findings } = readSettings(rawConfig("preview"));
    expect(findings.problems).toEqual([]);
    expect(settings).toMatchObject({
      network: "preview",
      relays: 2,
      adminCidrs: ["203.0.113.7/32"],
      availabilityZones: [],
      vpcCidr: "10.30.0.0/16",
      coreInstanceType: "auto",
      relayInstanceType: "auto",
      dataVolumeGiB: 0,
      rootVolumeGiB: 20,
      ami: "",
      allowBelowRecommended: false,
    });
  });

  it("names each missing required setting with the command that sets it", () => {
    const problems = problemsOf(rawConfig("preview", {}, ["network", "adminCidrs", "sshPublicKey", "aws:region"]));
    expect(problems.map((p) => p.setting).sort()).toEqual(["aws:region", "stakepool:adminCidrs", "stakepool:network", "stakepool:sshPublicKey"]);
    for (const p of problems) {
      expect(p.message).toMatch(/required/);
      expect(p.fix).toContain(`pulumi config set`);
      expect(p.fix).toContain(p.setting);
    }
  });

  it("refuses an unknown network and lists the known ones", () => {
    const [problem] = problemsOf(rawConfig("preview", { network: "testnet" }));
    expect(problem?.setting).toBe("stakepool:network");
    expect(problem?.message).toContain("mainnet, preprod, preview");
  });

  it("suggests the intended setting for a misspelt key", () => {
    const problems = problemsOf(rawConfig("preview", { relay: 3, admincidr: ["1.2.3.4/32"] }));
    expect(problems.find((p) => p.setting === "stakepool:relay")?.fix).toContain("did you mean stakepool:relays?");
    expect(problems.find((p) => p.setting === "stakepool:admincidr")?.fix).toContain("did you mean stakepool:adminCidrs?");
  });

  it("ignores other namespaces (aws:, pulumi:) but checks the region", () => {
    expect(problemsOf(rawConfig("preview", { "aws:profile": "ops", "pulumi:tags": "{}" }))).toEqual([]);
    expect(problemsOf(rawConfig("preview", { "aws:region": "Ohio" }))[0]?.setting).toBe("aws:region");
  });

  it("reports values of the wrong type instead of guessing", () => {
    const problems = problemsOf(rawConfig("preview", { relays: "two", allowBelowRecommended: "yes", adminCidrs: "203.0.113.7/32" }));
    expect(problems.map((p) => [p.setting, p.message])).toEqual([
      ["stakepool:relays", 'must be a whole number (got "two")'],
      ["stakepool:adminCidrs", 'must be a list (got "203.0.113.7/32")'],
      ["stakepool:allowBelowRecommended", 'must be true or false (got "yes")'],
    ]);
  });

  it("gives the list form of the fix for list settings", () => {
    const [problem] = problemsOf(rawConfig("preview", { adminCidrs: [] }));
    expect(problem?.fix).toBe("pulumi config set --path 'stakepool:adminCidrs[0]' 203.0.113.7/32");
  });

  it("accepts exactly 1 to 20 relays", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 40 }), (relays) => {
        const problems = problemsOf(rawConfig("preprod", { relays }));
        const ok = relays >= 1 && relays <= 20;
        expect(problems.length === 0).toBe(ok);
        if (!ok) expect(problems[0]?.setting).toBe("stakepool:relays");
      }),
    );
  });

  it("still reads the other settings when one is wrong, so every problem shows in one run", () => {
    const result = readSettings(rawConfig("mainnet", { relays: 0, vpcCidr: "10.9.0.0/16" }));
    expect(result.settings).toBeUndefined();
    expect(result.bestEffort?.vpcCidr).toBe("10.9.0.0/16");
    expect(result.bestEffort?.relays).toBe(2);
  });

  it("refuses a signing key stored as plain text under pulumi up, and only warns under the plan", () => {
    const plain = rawConfig("preview", { kesSigningKey: '{"type":"KesSigningKey_ed25519_kes_2^6"}' });
    const strict = readSettings(plain);
    expect(strict.findings.problems.map((p) => p.setting)).toEqual(["stakepool:kesSigningKey"]);
    expect(strict.findings.problems[0]!.fix).toBe("pulumi config set --secret stakepool:kesSigningKey < kes.skey");
    const plan = readSettings(plain, { plan: true });
    expect(plan.findings.problems).toEqual([]);
    expect(plan.findings.warnings.map((w) => w.setting)).toEqual(["stakepool:kesSigningKey"]);
    const encrypted = { values: plain.values, secretKeys: new Set(["stakepool:kesSigningKey"]) };
    expect(readSettings(encrypted).findings.problems).toEqual([]);
    expect(readSettings(rawConfig("preview", { kesSigningKey: "" })).findings.problems).toEqual([]);
  });

  it("reads the metadata mapping, and refuses anything else in its place", () => {
    expect(readSettings(rawConfig("preview", { metadata: JSON.stringify({ ticker: "ABC" }) })).settings?.metadata).toEqual({ ticker: "ABC" });
    const [problem] = problemsOf(rawConfig("preview", { metadata: "ABC" }));
    expect(problem?.setting).toBe("stakepool:metadata");
    expect(problem?.fix).toBe("pulumi config set --path 'stakepool:metadata.ticker' MYPOOL");
  });

  it("refuses a Mithril distribution that lost its .0 to an unquoted number in the stack file", () => {
    const [problem] = problemsOf(rawConfig("preview", { mithrilVersion: "2630" }));
    expect(problem?.setting).toBe("stakepool:mithrilVersion");
    expect(problem?.message).toContain('quote it in the stack file');
    expect(problemsOf(rawConfig("preview", { mithrilVersion: "2630.0" }))).toEqual([]);
  });
});

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
    // The SSH key is required by the AWS backend, not by the reader (own servers keep their keys).
    const problems = problemsOf(rawConfig("preview", {}, ["network", "adminCidrs", "sshPublicKey", "aws:region"]));
    expect(problems.map((p) => p.setting).sort()).toEqual(["aws:region", "stakepool:adminCidrs", "stakepool:network"]);
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

  it("says a whole-number setting's range however far off the value is, and never a number-type limit", () => {
    for (const value of ["1e20", "100000000000000000000", "-99999999999999999999", "Infinity", "2.5"]) {
      const [problem] = problemsOf(rawConfig("preview", { relays: value }));
      expect(problem?.message, value).toMatch(/^must be a whole number from 1 to 20 \(got /);
    }
    expect(problemsOf(rawConfig("preview", { dataVolumeGiB: "99999999999999999999" }))[0]?.message).toContain("from 0 to 16384");
    expect(problemsOf(rawConfig("preview", { relays: "21" }))[0]?.message).toBe("the kit deploys at most 20 relays per pool");
  });

  it("names the network meant when it is spelt in another case or with spaces", () => {
    for (const [value, meant] of [["Mainnet", "mainnet"], ["PREVIEW", "preview"], [" preprod ", "preprod"]] as const) {
      const [problem] = problemsOf(rawConfig("preview", { network: value }));
      expect(problem?.message).toContain(`lower case and exact: did you mean ${meant}?`);
      expect(problem?.fix).toBe(`pulumi config set stakepool:network ${meant}`);
    }
  });

  it("refuses control, bidirectional and invisible characters in any setting, naming where, and prints them escaped", () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ peerSeed: "a\u202eb" }, "stakepool:peerSeed", "U+202E RIGHT-TO-LEFT OVERRIDE (character 2)"],
      [{ extraPeers: ["relay.example.com:3001", "x\u200b.example.com:3001"] }, "stakepool:extraPeers[1]", "U+200B ZERO WIDTH SPACE"],
      [{ metadata: JSON.stringify({ name: "A\u001b[31mB" }) }, "stakepool:metadata.name", "U+001B ESCAPE"],
      [{ metadata: JSON.stringify({ "na\u2066me": "x" }) }, "stakepool:metadata.na\u2066me", "its name contains U+2066"],
      [{ sshPublicKey: "ssh-ed25519 AAAA x\ny" }, "stakepool:sshPublicKey", "U+000A LINE FEED"],
    ];
    for (const [values, setting, says] of cases) {
      const problems = problemsOf(rawConfig("preview", values as Record<string, string>));
      expect(problems.map((p) => p.setting), setting).toEqual([setting]);
      expect(problems[0]!.message).toContain(says);
    }
    // Key envelopes are JSON over several lines: their line breaks are theirs.
    expect(problemsOf(rawConfig("preview", { operationalCertificate: '{\n\t"type": "x"\r\n}' }))).toEqual([]);
  });

  it("refuses every unsafe character, and only those (property)", () => {
    const unsafe = fc.constantFrom("\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009b", "\u00ad", "\u061c", "\u200b", "\u200e", "\u2028", "\u202a", "\u202e", "\u2060", "\u2066", "\u2069", "\ufeff", "\u{e0041}", "\ud800");
    const safe = fc.string({ unit: "grapheme" }).filter((t) => ![...t].some((c) => /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0\ufffe\uffff]/u.test(c)));
    fc.assert(
      fc.property(safe, safe, fc.option(unsafe, { nil: undefined }), (a, b, bad) => {
        const seed = `${a}${bad ?? ""}${b}`;
        const problems = problemsOf(rawConfig("preview", { peerSeed: seed }));
        expect(problems.length).toBe(bad === undefined ? 0 : 1);
      }),
    );
  });

  it("reports values of the wrong type instead of guessing", () => {
    const problems = problemsOf(rawConfig("preview", { relays: "two", allowBelowRecommended: "yes", adminCidrs: "203.0.113.7/32" }));
    expect(problems.map((p) => [p.setting, p.message])).toEqual([
      ["stakepool:relays", 'must be a whole number from 1 to 20 (got "two")'],
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

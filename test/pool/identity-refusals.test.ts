/**
 * Identity and release mistakes stop a deploy before anything is created, each naming its setting:
 * keys in plain text, cold material anywhere, certificates expired or from the future or for another
 * KES key, unpinned mainnet releases, a broken release, metadata and URLs that cannot be registered.
 */
import { describe, expect, it } from "vitest";
import { ConfigurationError, type Problem } from "../../components/config/problems";
import { loadPool, type LoadOptions } from "../../components/program/load";
import { fixtureText } from "../fixtures/paths";
import { rawConfig, type ConfigValues } from "../helpers/config";
import { COLD_COUNTER, COLD_SKEY, KES_SKEY, VRF_SKEY, opcertFor } from "../helpers/hot-keys";
import { ROOT } from "../helpers/plan";

// Preview: slot = unix time − 1666656000; KES period = slot / 129600. At NOW that is period 992.
const NOW = new Date("2026-11-21T12:00:00Z");
const PERIOD = 992;
const KEYS = { kesSigningKey: KES_SKEY, vrfSigningKey: VRF_SKEY, operationalCertificate: opcertFor(PERIOD) };
const METADATA = { name: "Test Pool", ticker: "TPL", description: "A pool.", homepage: "https://example.com" };

type Network = "mainnet" | "preprod" | "preview";

function load(network: Network, values: ConfigValues, options: Partial<LoadOptions> = {}, secret: readonly string[] = []) {
  const raw = rawConfig(network, values);
  const secretKeys = new Set(secret.map((k) => `stakepool:${k}`));
  return loadPool({ values: raw.values, secretKeys }, "t", { baseDir: ROOT, now: NOW, ...options });
}

function problems(network: Network, values: ConfigValues, options: Partial<LoadOptions> = {}, secret: readonly string[] = []): Problem[] {
  try {
    load(network, values, options, secret);
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
  return [];
}

const settingsOf = (list: readonly Problem[]) => list.map((p) => p.setting);

describe("hot keys", () => {
  it("are accepted as encrypted secrets, and refused in plain text by pulumi up (the plan only warns)", () => {
    expect(problems("preview", KEYS, { deploying: true }, ["kesSigningKey", "vrfSigningKey"])).toEqual([]);
    const plain = problems("preview", KEYS, { deploying: true });
    expect(settingsOf(plain)).toEqual(["stakepool:kesSigningKey", "stakepool:vrfSigningKey"]);
    expect(plain[0]!.fix).toBe("pulumi config set --secret stakepool:kesSigningKey < kes.skey");
    const plan = load("preview", KEYS, { plan: true });
    expect(plan.warnings.map((w) => w.setting)).toEqual(expect.arrayContaining(["stakepool:kesSigningKey", "stakepool:vrfSigningKey"]));
  });

  it("refuse a cold key or the issue counter in any setting, saying they stay offline, and never echo it", () => {
    for (const [key, value] of [["kesSigningKey", COLD_SKEY], ["operationalCertificate", COLD_COUNTER]] as const) {
      const found = problems("preview", { ...KEYS, [key]: value }, { plan: true });
      const cold = found.find((p) => p.setting === `stakepool:${key}`)!;
      expect(cold.message).toMatch(/offline machine/);
      expect(JSON.stringify(found)).not.toContain((JSON.parse(value) as { cborHex: string }).cborHex);
    }
    // Under a made-up name too, and reported once, as cold material.
    const stray = problems("preview", { "stakepool:backupKey": COLD_SKEY }, { plan: true });
    expect(stray.filter((p) => p.setting === "stakepool:backupKey")).toHaveLength(1);
    expect(stray[0]!.message).toMatch(/offline machine/);
  });

  it("refuse an expired certificate unless the recovery override is set, and one from the future", () => {
    // 62 periods after its start a certificate has expired.
    const expired = { ...KEYS, operationalCertificate: opcertFor(PERIOD - 62) };
    expect(settingsOf(problems("preview", expired, { plan: true }))).toEqual(["stakepool:operationalCertificate"]);
    const override = load("preview", { ...expired, allowExpiredOpcert: true }, { plan: true });
    expect(override.warnings.some((w) => w.setting === "stakepool:operationalCertificate" && /expired/.test(w.message))).toBe(true);
    expect(settingsOf(problems("preview", { ...KEYS, operationalCertificate: opcertFor(PERIOD + 1) }, { plan: true }))).toEqual([
      "stakepool:operationalCertificate",
    ]);
    // The last period of validity passes, with a warning that it expires within 14 days.
    const last = load("preview", { ...KEYS, operationalCertificate: opcertFor(PERIOD - 61) }, { plan: true });
    expect(last.warnings.some((w) => /14 days|expires/.test(w.message))).toBe(true);
  });

  it("refuse a certificate issued for another KES key, and a partial set", () => {
    const mismatch = problems("preview", { ...KEYS, operationalCertificate: fixtureText("keys/node.opcert") }, { plan: true });
    expect(mismatch.some((p) => p.setting === "stakepool:operationalCertificate" && /different KES key/.test(p.message))).toBe(true);
    expect(settingsOf(problems("preview", { kesSigningKey: KES_SKEY }, { plan: true }))).toEqual(
      expect.arrayContaining(["stakepool:vrfSigningKey", "stakepool:operationalCertificate"]),
    );
  });

  it("leave the core passive, and say so, when none is set", () => {
    const pool = load("preview", {}, { plan: true });
    expect(pool.identity.hotKeys.state).toBe("absent");
    expect(pool.identity.hotKeyFiles).toBeUndefined();
  });
});

describe("node releases", () => {
  it("on mainnet: pulumi up refuses unpinned releases; preview and the plan warn", () => {
    expect(settingsOf(problems("mainnet", {}, { deploying: true }))).toEqual(["stakepool:nodeSha256", "stakepool:mithrilSha256"]);
    const preview = load("mainnet", {}, { deploying: false });
    expect(preview.releases.node.sha256).toBeUndefined();
    expect(preview.warnings.map((w) => w.setting)).toEqual(expect.arrayContaining(["stakepool:nodeSha256", "stakepool:mithrilSha256"]));
    const pinned = load("mainnet", { nodeSha256: "A".repeat(64), mithrilBootstrap: false }, { deploying: true });
    expect(pinned.releases.node).toEqual({ version: "11.1.3", sha256: "a".repeat(64), source: "stack" });
    expect(pinned.releases.mithril).toBeUndefined();
  });

  it("on testnets: use the kit's pin for its default release, and none for another", () => {
    expect(load("preview", {}).releases.node.source).toBe("kit");
    const other = load("preview", { nodeVersion: "11.2.0" });
    expect(other.releases.node.sha256).toBeUndefined();
    expect(other.warnings.some((w) => w.setting === "stakepool:nodeSha256")).toBe(true);
  });

  it("refuse 11.1.2, which cannot decode IPv4 relays", () => {
    const found = problems("preview", { nodeVersion: "11.1.2", nodeSha256: "b".repeat(64) });
    expect(settingsOf(found)).toEqual(["stakepool:nodeVersion"]);
    expect(found[0]!.message).toContain("IPv4");
  });
});

describe("metadata and names", () => {
  it("names the metadata field at fault", () => {
    const found = problems("preview", { metadata: JSON.stringify({ ...METADATA, ticker: "tp" }), hostMetadata: true });
    expect(settingsOf(found)).toEqual(["stakepool:metadata.ticker"]);
    const long = problems("preview", { metadata: JSON.stringify({ ...METADATA, description: "x".repeat(256) }), hostMetadata: true });
    expect(settingsOf(long)).toEqual(["stakepool:metadata.description"]);
  });

  it("needs a URL to register: hosted by the kit, or named by the operator", () => {
    expect(settingsOf(problems("preview", { metadata: JSON.stringify(METADATA) }))).toEqual(["stakepool:metadataUrl"]);
    expect(settingsOf(problems("preview", { hostMetadata: true }))).toEqual(["stakepool:hostMetadata"]);
    const own = load("preview", { metadata: JSON.stringify(METADATA), metadataUrl: "https://pool.example.com/p.json" });
    expect(own.identity.metadata?.bucket).toBeUndefined();
    expect(settingsOf(problems("preview", { metadata: JSON.stringify(METADATA), metadataUrl: "http://pool.example.com/p.json" }))).toEqual([
      "stakepool:metadataUrl",
    ]);
  });

  it("keeps a hosted URL within 64 bytes, suggesting a shorter bucket or a custom domain", () => {
    const values = { metadata: JSON.stringify(METADATA), hostMetadata: true, "aws:region": "ap-southeast-1", availabilityZones: ["ap-southeast-1a", "ap-southeast-1b"] };
    // https:// (8) + tpl-preview-meta (16) + .s3.ap-southeast-1.amazonaws.com (32) + /meta.json (10) = 66 bytes.
    const found = problems("preview", values);
    expect(settingsOf(found)).toEqual(["stakepool:metadataBucket"]);
    expect(found[0]!.message).toContain("66 bytes");
    expect(found[0]!.fix).toContain("stakepool:metadataUrl");
    expect(problems("preview", { ...values, metadataBucket: "tpl-m" })).toEqual([]);
  });

  it("refuses relay DNS names over 64 bytes", () => {
    const zone = `${"a".repeat(50)}.example.com`;
    expect(settingsOf(problems("preview", { dnsZone: zone }))).toEqual(["stakepool:dnsZone"]);
    const { backend } = load("preview", { dnsZone: "pool.example.com." });
    expect(backend.kind === "aws" ? backend.relayDnsNames.get("relay-2") : undefined).toBe("relay-2.pool.example.com");
  });
});

/**
 * A producing preview pool planned end to end: hot keys reach the core only (secret, 0400, node user),
 * the core's unit gains its key flags, the relays are registered by DNS name, the metadata is hosted
 * byte for byte and its hash is what the registration names, reminders fall 14 and 3 days before the
 * certificate expires, and no plan output carries key material.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { findKeyMaterial } from "../../components/keys/scan";
import { WITHHELD_SECRET } from "../../components/config/withheld";
import { cborHexOf } from "../fixtures/paths";
import { rawConfig } from "../helpers/config";
import { KES_SKEY, VRF_SKEY, opcertFor } from "../helpers/hot-keys";
import { ROOT, planWith, resourcesOf, type PlanFiles, type ResourceEntry } from "../helpers/plan";

// Preview's Shelley era starts at slot 0 at unix 1666656000; a KES period is 129,600 slots of 1 s.
const NOW = "2026-11-21T12:00:00Z";
const NOW_PERIOD = Math.floor((Date.parse(NOW) / 1000 - 1666656000) / 129600); // 992
// Valid for 62 periods from its start: expires at slot (992 + 62) × 129600 = 136,598,400.
const EXPIRES_AT = new Date((1666656000 + (NOW_PERIOD + 62) * 129600) * 1000).toISOString();

const MITHRIL_KEYS = path.join(ROOT, "components/node/mithril-keys");
const METADATA = { name: "Test Pool", ticker: "TPL", description: "A pool of the test suite.", homepage: "https://example.com" };

function producing(overrides: Record<string, string> = {}) {
  return rawConfig("preview", {
    kesSigningKey: KES_SKEY,
    vrfSigningKey: VRF_SKEY,
    operationalCertificate: opcertFor(NOW_PERIOD, 3),
    metadata: JSON.stringify(METADATA),
    hostMetadata: true,
    dnsZone: "pool.example.com",
    alertEmail: "ops@example.com",
    pledge: "1000000000",
    ...overrides,
  });
}

let files: PlanFiles;
let resources: ResourceEntry[];

beforeAll(async () => {
  files = await planWith("preview", producing(), NOW);
  resources = resourcesOf(files);
});

const byName = (type: string, name: string) => resources.find((r) => r.type === type && r.name === name);

describe("a producing pool's plan", () => {
  it("expects NOW to sit in the period the certificate starts", () => {
    expect(NOW_PERIOD).toBe(992);
  });

  it("delivers the keys to the core only, as a secret, with the node's unit gaining its key flags", () => {
    const keyCommands = resources.filter((r) => r.type === "command:remote:Command" && r.name.endsWith("-keys"));
    expect(keyCommands.map((r) => r.name)).toEqual(["pool-core-keys"]);
    expect(keyCommands[0]!.inputs.stdin).toBe("[secret]");
    expect(keyCommands[0]!.options?.additionalSecretOutputs).toEqual(expect.arrayContaining(["stderr", "stdin", "stdout"]));
    const create = String(keyCommands[0]!.inputs.create);
    expect(create).toContain("install -d -m 0700 -o cardano -g cardano \"$R/etc/cardano/keys\"");
    for (const file of ["kes.skey", "vrf.skey", "node.cert"]) {
      // Decoded into a new set inside the keys' folder, then switched to with the two others (test/delivery/key-set.test.ts).
      expect(create).toContain(`sudo -n chown cardano:cardano "$set0/${file}"\nsudo -n chmod 0400 "$set0/${file}"`);
      expect(create).toContain(`"current/${file}" "$R/etc/cardano/keys/.${file}.new"`);
    }
    expect(create).not.toContain("/tmp");
    expect(String(keyCommands[0]!.inputs.delete)).toContain('rm -f "$R/etc/cardano/keys/current" && rm -rf "$R/etc/cardano/keys"/set.*');
    expect(files["hosts/core/cardano-node.service"]).toContain("--shelley-kes-key /etc/cardano/keys/kes.skey");
    expect(files["hosts/core/cardano-node.service"]).toContain("--shelley-operational-certificate /etc/cardano/keys/node.cert");
    for (const relay of ["relay-1", "relay-2"]) expect(files[`hosts/${relay}/cardano-node.service`]).not.toContain("--shelley");
  });

  it("says the core is a producer and what its certificate says", () => {
    const md = files["plan.md"]!;
    expect(md).toContain("The core is a block producer");
    expect(md).toContain(`counter 3, start KES period ${NOW_PERIOD}, expires ${EXPIRES_AT}`);
    expect(md).toMatch(/Pool id: `pool1[02-9ac-hj-np-z]{50,}`/);
  });

  it("registers the relays by DNS name, never the core, with the hosted metadata's URL and hash", async () => {
    const records = resources.filter((r) => r.type === "aws:route53/record:Record");
    expect(records.map((r) => [r.inputs.name, r.inputs.records])).toEqual([
      ["relay-1.pool.example.com", ["<publicIp of pool-relay-1>"]],
      ["relay-2.pool.example.com", ["<publicIp of pool-relay-2>"]],
    ]);
    const md = files["plan.md"]!;
    const command = md.slice(md.indexOf("cardano-cli latest stake-pool registration-certificate"), md.indexOf("--out-file"));
    expect(command).toContain("--single-host-pool-relay relay-1.pool.example.com --pool-relay-port 3001");
    expect(command).toContain("--single-host-pool-relay relay-2.pool.example.com --pool-relay-port 3001");
    expect(command).not.toContain("10.30.0.10");
    expect(command).not.toContain("pool-core");
    expect(command).toContain("--pool-pledge 1000000000");
    expect(command).toContain("--testnet-magic 2");

    // The hash the registration names is the hash of the exact bytes the bucket serves.
    const object = resources.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2")!;
    expect(object.inputs).toMatchObject({ key: "meta.json", contentType: "application/json", content: files["pool-metadata.json"] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "meta-"));
    fs.writeFileSync(path.join(dir, "pool-metadata.json"), files["pool-metadata.json"]!);
    const { stdout } = await promisify(execFile)(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "cli/metadata-hash.ts"), path.join(dir, "pool-metadata.json")]);
    const url = "https://tpl-preview-meta.s3.us-east-2.amazonaws.com/meta.json";
    expect(command).toContain(`--metadata-url ${url} \\`);
    expect(command).toContain(`--metadata-hash ${stdout.trim()} \\`);
    expect(Buffer.byteLength(url)).toBeLessThanOrEqual(64);
    const policy = JSON.parse(String(byName("aws:s3/bucketPolicy:BucketPolicy", "pool-metadata")!.inputs.policy)) as { Statement: Array<{ Resource: string; Action: string }> };
    expect(policy.Statement).toEqual([expect.objectContaining({ Action: "s3:GetObject", Resource: "<arn of pool-metadata>/meta.json" })]);
  });

  it("schedules reminders 14 and 3 days before the certificate expires", () => {
    const expiry = Date.parse(EXPIRES_AT);
    const at = (days: number) => `at(${new Date(expiry - days * 86_400_000).toISOString().slice(0, 19)})`;
    const schedules = resources.filter((r) => r.type === "aws:scheduler/schedule:Schedule");
    expect(schedules.map((s) => s.inputs.scheduleExpression).sort()).toEqual([at(14), at(3)].sort());
    expect(resources.find((r) => r.type === "aws:sns/topicSubscription:TopicSubscription")?.inputs).toMatchObject({ protocol: "email", endpoint: "ops@example.com" });
  });

  it("carries no key material in any output", () => {
    const known = [cborHexOf("keys/kes-sum6.skey"), cborHexOf("keys/vrf.skey")];
    // The pinned Mithril verification keys are public (long hex in the user data): set them aside.
    const publicKeys = fs.readdirSync(MITHRIL_KEYS).filter((f) => f.endsWith(".vkey")).map((f) => fs.readFileSync(path.join(MITHRIL_KEYS, f), "utf8").trim());
    const scrub = (text: string) => publicKeys.reduce((t, key) => t.split(key).join("<public mithril vkey>"), text);
    expect(publicKeys.length).toBe(6);
    const hits = Object.entries(files).flatMap(([file, text]) => findKeyMaterial(scrub(text), { known }).map((hit) => `${file}: ${hit}`));
    expect(hits).toEqual([]);
    // The scan does find the keys where they are (so an empty result means something).
    expect(findKeyMaterial(KES_SKEY, { known }).length).toBeGreaterThan(0);
  });
});

describe("keys stored encrypted in the stack file", () => {
  it("show the core as a producer whose key material is withheld from the plan", async () => {
    const config = producing({ kesSigningKey: WITHHELD_SECRET, vrfSigningKey: WITHHELD_SECRET });
    const secretKeys = new Set(["stakepool:kesSigningKey", "stakepool:vrfSigningKey"]);
    const withheld = await planWith("preview", { values: config.values, secretKeys }, NOW);
    expect(withheld["plan.md"]).toContain("Its key material is encrypted in the stack file and withheld from this plan");
    expect(withheld["hosts/core/cardano-node.service"]).toContain("--shelley-kes-key");
    expect(resourcesOf(withheld).some((r) => r.name === "pool-core-keys" && r.inputs.stdin === "[secret]")).toBe(true);
  });
});

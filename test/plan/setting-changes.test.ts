/**
 * Every setting changed on its own, from each committed stack (a few values each), through the real
 * plan and the change report (issue 11): no data volume, Elastic IP or on-chain DNS record is replaced
 * or deleted, and no two hosts restart or stop at once, except for the settings the README's table lists
 * as doing so; and `changes.md` says exactly what the report found.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { changeContextOf } from "../../cli/plan/against";
import { compareRuns, renderChanges, type ChangeReport, type PlannedResource } from "../../cli/plan/changes";
import { readProject, readStackConfig } from "../../cli/plan/stack-file";
import type { RawConfig } from "../../components/config/read";
import { SETTINGS } from "../../components/config/settings";
import { AWS_ONLY_SETTINGS } from "../../components/backends/ssh/placement";
import { planEach, ROOT, type PlanFiles } from "../helpers/plan";

type Value = string | number | boolean | readonly unknown[] | Readonly<Record<string, string>>;

/** One change of one setting; `only` limits it to some stacks (a value that fits one network). */
interface SettingChange {
  readonly setting: string;
  readonly value: Value;
  readonly only?: readonly string[];
}

const OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKuIrLyAFLbF2rMU1fcJbqUgygs5x3UuUJ4ifDd4j4xX other@example.invalid";
const SHA = "c".repeat(64);

const CHANGES: readonly SettingChange[] = [
  { setting: "relays", value: 3 },
  { setting: "relays", value: 1 },
  { setting: "adminCidrs", value: ["198.51.100.7/32"] },
  { setting: "adminCidrs", value: ["203.0.113.7/32", "198.51.100.0/24"] },
  { setting: "sshPublicKey", value: OTHER_KEY },
  { setting: "availabilityZones", value: ["us-east-2a", "us-east-2b", "us-east-2c"] },
  { setting: "availabilityZones", value: ["us-east-2b", "us-east-2a"] },
  { setting: "hostZones", value: { "relay-2": "us-east-2a" } },
  { setting: "vpcCidr", value: "10.40.0.0/16" },
  { setting: "coreInstanceType", value: "r6i.2xlarge", only: ["mainnet"] },
  { setting: "coreInstanceType", value: "t3.xlarge", only: ["preview", "preprod"] },
  { setting: "relayInstanceType", value: "r6i.2xlarge", only: ["mainnet"] },
  { setting: "relayInstanceType", value: "m6i.large", only: ["preview", "preprod"] },
  { setting: "dataVolumeGiB", value: 400, only: ["mainnet"] },
  { setting: "dataVolumeGiB", value: 80, only: ["preview", "preprod"] },
  { setting: "rootVolumeGiB", value: 30 },
  { setting: "ami", value: "ami-0123456789abcdef0" },
  { setting: "allowBelowRecommended", value: true },
  { setting: "relayConnectionLimit", value: 20 },
  { setting: "nodeVersion", value: "11.2.0" },
  { setting: "nodeSha256", value: SHA },
  { setting: "mithrilBootstrap", value: false },
  { setting: "mithrilVersion", value: "2631.0" },
  { setting: "mithrilSha256", value: SHA },
  // The committed stacks have no hot keys: "true" is refused there (test/features/mithril-signer/wiring.test.ts).
  { setting: "mithrilSigner", value: "false" },
  { setting: "peerCount", value: 25 },
  { setting: "peerSeed", value: "ANOTHER-SEED" },
  { setting: "extraPeers", value: ["relay.friend.example.org:3001"] },
  { setting: "allowExpiredOpcert", value: true },
  { setting: "alertEmail", value: "ops@example.com" },
  { setting: "metadata", value: { name: "Another Name", ticker: "KITXX", description: "Changed.", homepage: "https://example.com" } },
  { setting: "metadataBucket", value: "kitxx-meta-bucket" },
  { setting: "metadataUrl", value: "https://example.com/p.json" },
  { setting: "dnsZone", value: "pool.example.com" },
  { setting: "pledge", value: "100000000000" },
  { setting: "cost", value: "340000000" },
  { setting: "margin", value: "0.02" },
];

/**
 * The settings whose change may replace or delete chain data or an on-chain address (the README's table
 * says so, row by row): a zone move takes the volume with it; fewer relays delete one relay's volume and
 * Elastic IP.
 */
const MAY_LOSE_DATA = new Set(["relays", "availabilityZones", "hostZones", "dnsZone", "metadata", "metadataBucket", "hostMetadata"]);

// Not preprod: its committed stack is preview's with another network and pool name (the change report
// reads no network fact but mainnet's protections): its ~35 plans would prove nothing preview's do not.
// test/plan/plan-check.test.ts still checks preprod's whole plan.
const STACKS = ["preview", "mainnet", "ssh-example"] as const;
const project = readProject(ROOT);

/**
 * On own servers: every setting both backends read (the AWS-only ones are refused there), and the ways
 * the list of servers changes during a pool's life.
 */
function sshChanges(): SettingChange[] {
  const servers = JSON.parse(readStackConfig(project, "ssh-example").values["stakepool:servers"]!) as Array<Record<string, unknown>>;
  const named = (name: string, changes: Record<string, unknown>) => servers.map((s) => (s.name === name ? { ...s, ...changes } : s));
  const relay3 = {
    ...servers.find((s) => s.name === "relay-2")!,
    name: "relay-3",
    address: "198.51.100.13",
    privateAddress: "10.0.0.13",
    publicAddress: "198.51.100.13",
    hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMJw1TRBtoxqOzESbA6zZsWVrRpaioiaRLDN2fwlNPLO",
  };
  return [
    ...CHANGES.filter((c) => !(AWS_ONLY_SETTINGS as readonly string[]).includes(c.setting) && !c.only),
    { setting: "servers", value: [...servers, relay3] },
    { setting: "servers", value: servers.filter((s) => s.name !== "relay-2") },
    // A reinstalled server: a new host key, so everything is delivered to it again.
    { setting: "servers", value: named("relay-2", { hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH5AbSY+bZJvkL78q26VM/f2EYyPNgdsbww30P4PslaC" }) },
    { setting: "servers", value: named("relay-1", { sshPort: 2200 }) },
    { setting: "servers", value: named("relay-2", { publicAddress: "relay2.example.org" }) },
    { setting: "servers", value: named("core", { dataDevice: "/dev/disk/by-id/nvme-EXAMPLE_SSD_CORE_0002" }) },
  ];
}

function configWith(stack: string, change?: SettingChange): RawConfig {
  const base = readStackConfig(project, stack);
  if (!change) return base;
  const { value } = change;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return { values: { ...base.values, [`stakepool:${change.setting}`]: text }, secretKeys: base.secretKeys };
}

function reportOf(before: PlanFiles, after: PlanFiles): ChangeReport {
  const resources = (files: PlanFiles) => JSON.parse(files["resources.json"]!) as PlannedResource[];
  return compareRuns(resources(before), resources(after), changeContextOf(after["deployment.json"]!));
}

/** Each host's restarting step waits for the previous host's in the rollout: restarts never overlap. */
function restartsRoll(files: PlanFiles): boolean {
  const resources = JSON.parse(files["resources.json"]!) as Array<{ name: string; options?: { dependsOn?: string[] } }>;
  // The hosts that run a node (the monitoring host runs none), in rollout order.
  const rollout = (JSON.parse(files["deployment.json"]!) as { rollout: string[] }).rollout.filter((host) => resources.some((r) => r.name === `pool-${host}-node`));
  return rollout.length > 1 && rollout.slice(1).every((host, i) => {
    const step = resources.find((r) => r.name === `pool-${host}-node`);
    return step?.options?.dependsOn?.includes(`command:remote:Command::pool-${rollout[i]!}-node`) === true;
  });
}

/** The README table's row for a setting (its first cell names it: `stakepool:x` or `x`). */
function settingRow(readme: string, setting: string): string | undefined {
  return readme.split("\n").find((line) => line.startsWith("| `stakepool:") && new RegExp(`(\`|:)${setting}\``).test(line.split("|")[1]!));
}

describe("the README's table of what each setting does to a running pool", () => {
  it("has a row for every setting the kit reads", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    for (const setting of Object.keys(SETTINGS)) expect(settingRow(readme, setting), setting).toBeDefined();
  });
});

describe("every setting changed on its own", () => {
  for (const stack of STACKS) {
    it(`from the committed ${stack} stack: no data lost and no two hosts down at once, except as the README says`, async () => {
      const changes = stack === "ssh-example" ? sshChanges() : CHANGES.filter((c) => !c.only || c.only.includes(stack));
      // Config 0 is the committed stack, config i the change i - 1.
      const [base, ...changed] = await planEach(stack, [configWith(stack), ...changes.map((change) => configWith(stack, change))], {
        labels: ["the committed stack", ...changes.map((change) => `${change.setting} = ${JSON.stringify(change.value)}`)],
      });
      const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
      changes.forEach((change, i) => {
        const files = changed[i]!;
        const label = `${stack}: ${change.setting} = ${JSON.stringify(change.value)}`;
        const report = reportOf(base!, files);
        if (report.dataLoss) {
          expect(MAY_LOSE_DATA.has(change.setting), `${label} loses data`).toBe(true);
          const row = settingRow(readme, change.setting);
          expect(row, `the README's table has a row for ${change.setting}`).toBeDefined();
          expect(row, `the README's table lists ${change.setting} as losing data`).toMatch(/REPLACED|DELETED/);
        }
        // Every host is in the report, on own servers too (no server resource there: the rollout's hosts).
        expect(report.hosts.map((h) => h.host), label).toEqual(expect.arrayContaining(["core", "relay-1", "relay-2"]));
        // A new release restarts every node, relays first: the report says so on both backends.
        if (change.setting === "nodeVersion") expect(report.restarts, label).toEqual(["relay-1", "relay-2", "core"]);
        // Restarts always roll; servers that stop or are replaced roll too (each waits for the host before).
        expect(restartsRoll(files), `${label}: restarts roll`).toBe(true);
        expect(report.serversRoll, `${label}: servers roll`).toBe(true);
        // changes.md says what the report found.
        const md = renderChanges(stack, report);
        for (const host of report.hosts) expect(md, label).toContain(`| ${host.host} | ${host.outcome} |`);
        if (report.dataLoss) expect(md).toContain("**This change replaces or deletes chain data or an address registered on chain.**");
        if (report.restarts.length > 1) expect(md).toContain(`Node restarts roll one host at a time, each waiting until the node before it stayed up: ${report.restarts.join(", then ")}.`);
      });
      // About 35 plans a stack, in two processes (test/helpers/plan-batch-runner.ts).
    }, 600_000);
  }
});

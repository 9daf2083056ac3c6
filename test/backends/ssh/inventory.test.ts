/**
 * The operator's servers (`stakepool:servers`): every way an inventory can be wrong is refused before
 * anything is delivered, naming the exact setting; a good one becomes the hosts of the pool model.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkServers, MAX_SSH_RELAYS } from "../../../components/backends/ssh/inventory";
import { loadPool } from "../../../components/program/load";
import { NETWORKS } from "../../../components/networks/networks";
import { ConfigurationError } from "../../../components/config/problems";
import { rawConfig, EXAMPLE_SSH_KEY, type ConfigValues } from "../../helpers/config";
import { GOOD, KEYS, server } from "./servers";

const preview = NETWORKS.preview;
const check = (raw: unknown, deploying = false, network = preview) => checkServers(raw, { network, allowBelowRecommended: false, deploying });
const withServer = (name: string, changes: Record<string, unknown> | undefined) => {
  const copy = JSON.parse(JSON.stringify(GOOD)) as Record<string, unknown>;
  if (changes === undefined) delete copy[name];
  else copy[name] = { ...(copy[name] as object), ...changes };
  return copy;
};
const without = (name: keyof typeof GOOD, field: string) => {
  const copy = JSON.parse(JSON.stringify(GOOD)) as Record<string, Record<string, unknown>>;
  delete copy[name]![field];
  return copy;
};

describe("the operator's servers", () => {
  it("become the pool's hosts, in order, as declared", () => {
    const { servers, findings } = check(GOOD);
    expect(findings.problems).toEqual([]);
    expect(servers!.map((s) => [s.name, s.role, s.relayNumber, s.address, s.publicAddress ?? "-", s.sshPort])).toEqual([
      ["core", "core", 0, "10.0.0.10", "-", 22],
      ["relay-1", "relay", 1, "10.0.0.11", "1.2.3.4", 22],
      ["relay-2", "relay", 2, "10.0.0.12", "relay2.mypool.io", 2222],
    ]);
  });

  // Each case: the inventory, the setting the problem must name, and what it must say.
  const HOSTILE: ReadonlyArray<readonly [string, unknown, string, RegExp]> = [
    ["nothing listed", {}, "stakepool:servers", /must list the pool's servers/],
    ["a list instead of a mapping", [GOOD.core], "stakepool:servers", /must list the pool's servers/],
    ["no core", withServer("core", undefined), "stakepool:servers", /has no core/],
    ["no relay", { core: GOOD.core }, "stakepool:servers", /has no relay/],
    ["a gap in the relay numbers", { core: GOOD.core, "relay-1": GOOD["relay-1"], "relay-3": { ...GOOD["relay-2"] } }, "stakepool:servers", /relay-2 missing/],
    ["a made-up host name", { ...GOOD, bp: GOOD.core }, "stakepool:servers.bp", /not a host name of the kit/],
    ["relay-0", { ...GOOD, "relay-0": GOOD["relay-1"] }, "stakepool:servers.relay-0", /not a host name/],
    ["a server that is not a mapping", { ...GOOD, "relay-1": "10.0.0.11" }, "stakepool:servers.relay-1", /must be a mapping/],
    ["a misspelt field", withServer("core", { hostkey: KEYS.core }), "stakepool:servers.core.hostkey", /not a setting of a server/],
    ["no address", without("core", "address"), "stakepool:servers.core.address", /is required/],
    ["an IPv6 address", withServer("core", { address: "2001:db8::10" }), "stakepool:servers.core.address", /not an IPv4 address/],
    ["a DNS name as the address", withServer("core", { address: "core.lan" }), "stakepool:servers.core.address", /not an IPv4 address/],
    ["loopback", withServer("core", { address: "127.0.0.1" }), "stakepool:servers.core.address", /loopback/],
    ["0.0.0.0", withServer("core", { address: "0.0.0.0" }), "stakepool:servers.core.address", /unspecified/],
    ["a number", withServer("core", { address: 10 }), "stakepool:servers.core.address", /must be text/],
    ["two hosts on one address", withServer("relay-2", { address: "10.0.0.11" }), "stakepool:servers.relay-2.address", /the same as relay-1's/],
    ["a relay without a public address", without("relay-1", "publicAddress"), "stakepool:servers.relay-1.publicAddress", /is required on a relay/],
    ["a public address on the core", withServer("core", { publicAddress: "5.6.7.8" }), "stakepool:servers.core.publicAddress", /never published/],
    ["a private public address", withServer("relay-1", { publicAddress: "192.168.1.20" }), "stakepool:servers.relay-1.publicAddress", /private/],
    ["a CGNAT public address", withServer("relay-1", { publicAddress: "100.64.0.9" }), "stakepool:servers.relay-1.publicAddress", /carrierGradeNat/],
    ["an IPv6 public address", withServer("relay-1", { publicAddress: "2a01:4f8::1" }), "stakepool:servers.relay-1.publicAddress", /IPv6/],
    ["a single-label name", withServer("relay-1", { publicAddress: "relay1" }), "stakepool:servers.relay-1.publicAddress", /single label/],
    ["a name with a space", withServer("relay-1", { publicAddress: "relay 1.mypool.io" }), "stakepool:servers.relay-1.publicAddress", /without spaces/],
    ["a shell command as a name", withServer("relay-1", { publicAddress: "$(reboot).mypool.io" }), "stakepool:servers.relay-1.publicAddress", /invalid label/],
    ["two relays on one public address", withServer("relay-2", { publicAddress: "1.2.3.4" }), "stakepool:servers.relay-2.publicAddress", /the same as relay-1's/],
    ["root", withServer("relay-1", { sshUser: "root" }), "stakepool:servers.relay-1.sshUser", /is root/],
    ["no user", without("relay-1", "sshUser"), "stakepool:servers.relay-1.sshUser", /is required/],
    ["a user with shell syntax", withServer("relay-1", { sshUser: "pool;id" }), "stakepool:servers.relay-1.sshUser", /not a login name/],
    ["port 0", withServer("relay-1", { sshPort: 0 }), "stakepool:servers.relay-1.sshPort", /whole number/],
    ["port 70000", withServer("relay-1", { sshPort: 70000 }), "stakepool:servers.relay-1.sshPort", /not a TCP port/],
    ["a port as words", withServer("relay-1", { sshPort: "twenty-two" }), "stakepool:servers.relay-1.sshPort", /whole number/],
    ["no host key", without("relay-1", "hostKey"), "stakepool:servers.relay-1.hostKey", /is required/],
    ["a host key cut short", withServer("relay-1", { hostKey: KEYS.r1.slice(0, -6) }), "stakepool:servers.relay-1.hostKey", /cut short|not base64/],
    ["a host key of another type in the blob", withServer("relay-1", { hostKey: `ssh-rsa ${KEYS.r1.split(" ")[1]}` }), "stakepool:servers.relay-1.hostKey", /does not hold a ssh-rsa key/],
    ["a private key as the host key", withServer("relay-1", { hostKey: "-----BEGIN OPENSSH PRIVATE KEY----- b3Blbn==" }), "stakepool:servers.relay-1.hostKey", /PRIVATE key/],
    ["an unknown key type", withServer("relay-1", { hostKey: "ssh-dss AAAAB3NzaC1kc3M=" }), "stakepool:servers.relay-1.hostKey", /OpenSSH host keys are/],
    ["no memory", without("core", "memoryGiB"), "stakepool:servers.core.memoryGiB", /is required/],
    ["2 GiB of memory", withServer("core", { memoryGiB: 2 }), "stakepool:servers.core.memoryGiB", /below the floor of 4 GiB/],
    ["a fraction of memory", withServer("core", { memoryGiB: 7.5 }), "stakepool:servers.core.memoryGiB", /whole number/],
    ["a 10 GiB disk", withServer("core", { dataDiskGiB: 10 }), "stakepool:servers.core.dataDiskGiB", /below the floor of 24 GiB/],
    ["a kernel disk name", withServer("core", { dataDevice: "/dev/sdb" }), "stakepool:servers.core.dataDevice", /can name another disk after a reboot/],
    ["a by-uuid name", withServer("core", { dataDevice: "/dev/disk/by-uuid/1234" }), "stakepool:servers.core.dataDevice", /not a disk's stable name/],
    ["a device path with shell syntax", withServer("core", { dataDevice: "/dev/disk/by-id/x;rm -rf /" }), "stakepool:servers.core.dataDevice", /not a disk's stable name/],
  ];

  it.each(HOSTILE)("refuses %s, naming the setting", (_name, raw, setting, says) => {
    const { servers, findings } = check(raw);
    expect(servers).toBeUndefined();
    const problem = findings.problems.find((p) => p.setting === setting);
    expect(problem, JSON.stringify(findings.problems)).toBeDefined();
    expect(problem!.message).toMatch(says);
    expect(problem!.fix.length).toBeGreaterThan(0);
  });

  it("refuses more relays than the kit deploys", () => {
    const many: Record<string, unknown> = Object.fromEntries([["core", GOOD.core], ...Array.from({ length: MAX_SSH_RELAYS + 1 }, (_, i): [string, unknown] => [`relay-${i + 1}`, server(`10.0.1.${i + 1}`, KEYS.r1, { publicAddress: `${i + 1}.2.3.4` })])]);
    expect(check(many).findings.problems.map((p) => p.setting)).toContain("stakepool:servers");
  });

  it("warns about documentation addresses in a plan and refuses them when deploying", () => {
    const example = withServer("relay-1", { publicAddress: "203.0.113.11" });
    const planned = check(example, false);
    expect(planned.findings.problems).toEqual([]);
    expect(planned.findings.warnings.map((w) => w.setting)).toContain("stakepool:servers.relay-1.publicAddress");
    const deployed = check(example, true);
    expect(deployed.findings.problems.map((p) => p.setting)).toEqual(["stakepool:servers.relay-1.publicAddress"]);
    expect(check(withServer("relay-2", { publicAddress: "relay2.example.com" }), true).findings.problems[0]!.message).toMatch(/documentation address/);
  });

  it("on mainnet refuses a server below the recommendation unless the operator allows it knowingly", () => {
    const small = withServer("core", { memoryGiB: 16, dataDiskGiB: 200 });
    expect(check(small, false, NETWORKS.mainnet).findings.problems.map((p) => p.setting).sort()).toEqual([
      "stakepool:servers.core.dataDiskGiB",
      "stakepool:servers.core.memoryGiB",
      "stakepool:servers.relay-1.dataDiskGiB",
      "stakepool:servers.relay-1.memoryGiB",
      "stakepool:servers.relay-2.dataDiskGiB",
      "stakepool:servers.relay-2.memoryGiB",
    ]);
    expect(checkServers(small, { network: NETWORKS.mainnet, allowBelowRecommended: true, deploying: false }).findings.problems).toEqual([]);
  });

  it("keeps the chain database in a folder when no disk is named, and says so", () => {
    const { servers, findings } = check(without("relay-1", "dataDevice"));
    expect(servers!.find((s) => s.name === "relay-1")!.dataDevice).toBeUndefined();
    expect(findings.warnings.map((w) => w.setting)).toEqual(["stakepool:servers.relay-1.dataDevice"]);
  });

  it("accepts any pool of 1 to 20 relays with distinct addresses, and keeps each address and number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SSH_RELAYS }), fc.integer({ min: 1, max: 65535 }), (relays, port) => {
        const raw: Record<string, unknown> = Object.fromEntries([
          ["core", server("10.9.0.1", KEYS.core)],
          ...Array.from({ length: relays }, (_, i): [string, unknown] => [`relay-${i + 1}`, server(`10.9.1.${i + 1}`, KEYS.r1, { publicAddress: `${i + 11}.20.30.40`, sshPort: port })]),
        ]);
        const { servers, findings } = check(raw);
        expect(findings.problems).toEqual([]);
        expect(servers!.map((s) => s.relayNumber)).toEqual(Array.from({ length: relays + 1 }, (_, i) => i));
        expect(servers!.slice(1).every((s, i) => s.address === `10.9.1.${i + 1}` && s.sshPort === port)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe("settings on the ssh backend", () => {
  const ssh = (overrides: ConfigValues = {}) => rawConfig("preview", { backend: "ssh", servers: GOOD, sshPublicKey: "", ...overrides }, ["aws:region"]);
  const problemsOf = (raw: ReturnType<typeof rawConfig>) => {
    try {
      loadPool(raw, "pool", { plan: true, baseDir: process.cwd(), now: new Date("2026-11-26T00:00:00Z") });
      return [];
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      return error.problems.map((p) => p.setting);
    }
  };

  it("need no AWS region and no SSH key", () => {
    expect(problemsOf(ssh())).toEqual([]);
  });

  it.each([
    ["relays", 3],
    ["sshPublicKey", EXAMPLE_SSH_KEY],
    ["coreInstanceType", "r6i.xlarge"],
    ["dataVolumeGiB", 200],
    ["vpcCidr", "10.40.0.0/16"],
    ["availabilityZones", ["us-east-2a", "us-east-2b"]],
    ["hostMetadata", true],
    ["dnsZone", "mypool.io"],
    ["alertEmail", "ops@mypool.io"],
  ] as const)("refuse %s, which only AWS reads", (key, value) => {
    expect(problemsOf(ssh({ [key]: value }))).toContain(`stakepool:${key}`);
  });

  it("on AWS, refuse a pool without the operator's SSH key, and servers it would not use", () => {
    expect(problemsOf(rawConfig("preview", { sshPublicKey: "" }))).toEqual(["stakepool:sshPublicKey"]);
    expect(problemsOf(rawConfig("preview", { servers: GOOD }))).toEqual(["stakepool:servers"]);
  });
});

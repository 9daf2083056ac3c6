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
type Entry = Record<string, unknown>;
const copy = () => JSON.parse(JSON.stringify(GOOD)) as Entry[];
/** GOOD with entry `index` changed (a field set to undefined is removed). */
const change = (index: number, changes: Entry): Entry[] => {
  const list = copy();
  const entry = { ...list[index]!, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete entry[k];
  list[index] = entry;
  return list;
};
const [CORE, R1, R2] = [0, 1, 2];

describe("the operator's servers", () => {
  it("become the pool's hosts, the core first, then the relays in the order listed", () => {
    const reordered = [GOOD[1], GOOD[0], GOOD[2]];
    const { servers, findings } = check(reordered);
    expect(findings.problems).toEqual([]);
    expect(servers!.map((s) => [s.name, s.role, s.relayNumber, s.address, s.privateAddress, s.publicAddress ?? "-", s.sshPort])).toEqual([
      ["core", "core", 0, "10.0.0.10", "10.0.0.10", "-", 22],
      ["relay-1", "relay", 1, "1.2.3.4", "10.0.0.11", "1.2.3.4", 22],
      ["relay-2", "relay", 2, "5.6.7.8", "10.0.0.12", "relay2.mypool.io", 2222],
    ]);
  });

  const at = (index: number, field: string) => `stakepool:servers[${index}].${field}`;
  // Each case: the inventory, the setting the problem must name, and what it must say.
  const HOSTILE: ReadonlyArray<readonly [string, unknown, string, RegExp]> = [
    ["nothing listed", [], "stakepool:servers", /must list the pool's servers/],
    ["a mapping instead of a list", { core: GOOD[0] }, "stakepool:servers", /must list the pool's servers/],
    ["no core", [GOOD[1], GOOD[2]], "stakepool:servers", /has no core/],
    ["two cores", change(R2, { role: "core", publicAddress: undefined }), "stakepool:servers", /2 servers with role core/],
    ["no relay", [GOOD[0]], "stakepool:servers", /has no relay/],
    ["a role that is neither", change(R1, { role: "producer" }), at(R1, "role"), /must be core, relay or monitor/],
    ["no role", change(R1, { role: undefined }), at(R1, "role"), /is required: core, relay or monitor/],
    ["no name", change(R1, { name: undefined }), at(R1, "name"), /is required/],
    ["a name with capitals", change(R1, { name: "Relay-1" }), at(R1, "name"), /not a host name/],
    ["a name with a slash", change(R1, { name: "../relay" }), at(R1, "name"), /not a host name/],
    ["a 21-character name", change(R1, { name: "r".repeat(21) }), at(R1, "name"), /not a host name/],
    ["two servers with one name", change(R2, { name: "relay-1" }), at(R2, "name"), /the same as relay-1's/],
    ["a server that is not a mapping", [...copy(), "10.0.0.13"], "stakepool:servers[3]", /must be a mapping/],
    ["a misspelt field", change(CORE, { hostkey: KEYS.core }), at(CORE, "hostkey"), /not a setting of a server/],
    ["no address", change(CORE, { address: undefined }), at(CORE, "address"), /is required/],
    ["an IPv6 address", change(CORE, { address: "2001:db8::10" }), at(CORE, "address"), /not an IPv4 address/],
    ["a DNS name as the address", change(CORE, { address: "core.lan" }), at(CORE, "address"), /not an IPv4 address/],
    ["loopback", change(CORE, { address: "127.0.0.1" }), at(CORE, "address"), /loopback/],
    ["0.0.0.0", change(CORE, { address: "0.0.0.0" }), at(CORE, "address"), /unspecified/],
    ["a number", change(CORE, { address: 10 }), at(CORE, "address"), /must be text/],
    ["a private address that is not IPv4", change(R1, { privateAddress: "fd00::11" }), at(R1, "privateAddress"), /not an IPv4 address/],
    ["a core reached at another address than the relays use", change(CORE, { privateAddress: "10.0.0.99" }), at(CORE, "privateAddress"), /through the first relay/],
    ["two hosts on one private address", change(R2, { privateAddress: "10.0.0.11" }), at(R2, "privateAddress"), /the same as relay-1's/],
    ["a relay whose address is private and no public address", change(R1, { address: "192.168.1.20", privateAddress: undefined }), at(R1, "address"), /private.*registers the address the Internet reaches/],
    ["a public address on the core", change(CORE, { publicAddress: "5.6.7.9" }), at(CORE, "publicAddress"), /never published/],
    ["a private public address", change(R1, { publicAddress: "192.168.1.20" }), at(R1, "publicAddress"), /private/],
    ["a CGNAT public address", change(R1, { publicAddress: "100.64.0.9" }), at(R1, "publicAddress"), /carrierGradeNat/],
    ["an IPv6 public address", change(R1, { publicAddress: "2a01:4f8::1" }), at(R1, "publicAddress"), /IPv6/],
    ["a single-label name", change(R1, { publicAddress: "relay1" }), at(R1, "publicAddress"), /single label/],
    ["an internal name (.lan)", change(R1, { publicAddress: "relay1.lan" }), at(R1, "publicAddress"), /not a public top-level domain/],
    ["a special-use name (.local)", change(R1, { publicAddress: "relay1.local" }), at(R1, "publicAddress"), /special-use name/],
    ["a name under .arpa", change(R1, { publicAddress: "relay1.home.arpa" }), at(R1, "publicAddress"), /arpa|special-use/],
    ["a name with a space", change(R1, { publicAddress: "relay 1.mypool.io" }), at(R1, "publicAddress"), /without spaces/],
    ["a shell command as a name", change(R1, { publicAddress: "$(reboot).mypool.io" }), at(R1, "publicAddress"), /invalid label/],
    ["two relays on one public address", change(R2, { publicAddress: "1.2.3.4" }), at(R2, "publicAddress"), /the same as relay-1's/],
    ["root", change(R1, { sshUser: "root" }), at(R1, "sshUser"), /is root/],
    ["no user", change(R1, { sshUser: undefined }), at(R1, "sshUser"), /is required/],
    ["a user with shell syntax", change(R1, { sshUser: "pool;id" }), at(R1, "sshUser"), /not a login name/],
    ["port 0", change(R1, { sshPort: 0 }), at(R1, "sshPort"), /whole number/],
    ["port 70000", change(R1, { sshPort: 70000 }), at(R1, "sshPort"), /not a TCP port/],
    ["a port as words", change(R1, { sshPort: "twenty-two" }), at(R1, "sshPort"), /whole number/],
    ["no host key", change(R1, { hostKey: undefined }), at(R1, "hostKey"), /is required.*cannot verify/],
    ["a host key cut short", change(R1, { hostKey: KEYS.r1.slice(0, -6) }), at(R1, "hostKey"), /cut short|not base64/],
    ["a host key of another type in the blob", change(R1, { hostKey: `ssh-rsa ${KEYS.r1.split(" ")[1]!}` }), at(R1, "hostKey"), /does not hold a ssh-rsa key/],
    ["a private key as the host key", change(R1, { hostKey: "-----BEGIN OPENSSH PRIVATE KEY----- b3Blbn==" }), at(R1, "hostKey"), /PRIVATE key/],
    ["an unknown key type", change(R1, { hostKey: "ssh-dss AAAAB3NzaC1kc3M=" }), at(R1, "hostKey"), /OpenSSH host keys are/],
    ["no memory", change(CORE, { memoryGiB: undefined }), at(CORE, "memoryGiB"), /is required/],
    ["2 GiB of memory", change(CORE, { memoryGiB: 2 }), at(CORE, "memoryGiB"), /below the floor of 4 GiB/],
    ["a fraction of memory", change(CORE, { memoryGiB: 7.5 }), at(CORE, "memoryGiB"), /whole number/],
    ["a 10 GiB disk", change(CORE, { dataDiskGiB: 10 }), at(CORE, "dataDiskGiB"), /below the floor of 24 GiB/],
    ["a kernel disk name", change(CORE, { dataDevice: "/dev/sdb" }), at(CORE, "dataDevice"), /can name another disk after a reboot/],
    ["a by-uuid name", change(CORE, { dataDevice: "/dev/disk/by-uuid/1234" }), at(CORE, "dataDevice"), /not a disk's stable name/],
    ["a device path with shell syntax", change(CORE, { dataDevice: "/dev/disk/by-id/x;rm -rf /" }), at(CORE, "dataDevice"), /not a disk's stable name/],
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
    const many = [GOOD[0], ...Array.from({ length: MAX_SSH_RELAYS + 1 }, (_, i) => server(`relay-${i + 1}`, "relay", `${i + 11}.2.3.4`, KEYS.r1))];
    expect(check(many).findings.problems.map((p) => p.setting)).toContain("stakepool:servers");
  });

  it("warns about documentation addresses in a plan and refuses them when deploying", () => {
    const example = change(R1, { address: "203.0.113.11" });
    const planned = check(example, false);
    expect(planned.findings.problems).toEqual([]);
    expect(planned.findings.warnings.map((w) => w.setting)).toContain(at(R1, "address"));
    const deployed = check(example, true);
    expect(deployed.findings.problems.map((p) => p.setting)).toEqual([at(R1, "address")]);
    expect(check(change(R2, { publicAddress: "relay2.example.com" }), true).findings.problems[0]!.message).toMatch(/documentation address/);
  });

  it("on mainnet refuses a server below the recommendation unless the operator allows it knowingly", () => {
    const small = change(CORE, { memoryGiB: 16, dataDiskGiB: 200 });
    const settings = check(small, false, NETWORKS.mainnet).findings.problems.map((p) => p.setting);
    expect(settings).toEqual(expect.arrayContaining([at(CORE, "memoryGiB"), at(CORE, "dataDiskGiB"), at(R1, "memoryGiB"), at(R2, "dataDiskGiB")]));
    expect(checkServers(small, { network: NETWORKS.mainnet, allowBelowRecommended: true, deploying: false }).findings.problems).toEqual([]);
  });

  it("keeps the chain database in a folder when no disk is named, and says so", () => {
    const { servers, findings } = check(change(R1, { dataDevice: undefined }));
    expect(servers!.find((s) => s.name === "relay-1")!.dataDevice).toBeUndefined();
    expect(findings.warnings.map((w) => w.setting)).toEqual([at(R1, "dataDevice")]);
  });

  it("accepts any pool of 1 to 20 relays with distinct addresses, numbered in the order listed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SSH_RELAYS }), fc.integer({ min: 1, max: 65535 }), fc.nat(), (relays, port, at) => {
        const list: unknown[] = Array.from({ length: relays }, (_, i) => server(`r${i + 1}`, "relay", `${i + 11}.20.30.40`, KEYS.r1, { privateAddress: `10.9.1.${i + 1}`, sshPort: port }));
        list.splice(at % (relays + 1), 0, server("bp", "core", "10.9.0.1", KEYS.core));
        const { servers, findings } = check(list);
        expect(findings.problems).toEqual([]);
        expect(servers!.map((s) => s.name)).toEqual(["bp", ...Array.from({ length: relays }, (_, i) => `r${i + 1}`)]);
        expect(servers!.slice(1).every((s, i) => s.relayNumber === i + 1 && s.privateAddress === `10.9.1.${i + 1}` && s.sshPort === port)).toBe(true);
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
  ] as const)("refuse %s, which only AWS reads", (key, value) => {
    expect(problemsOf(ssh({ [key]: value }))).toContain(`stakepool:${key}`);
  });

  it("on AWS, refuse a pool without the operator's SSH key, and servers it would not use", () => {
    expect(problemsOf(rawConfig("preview", { sshPublicKey: "" }))).toEqual(["stakepool:sshPublicKey"]);
    expect(problemsOf(rawConfig("preview", { servers: GOOD }))).toEqual(["stakepool:servers"]);
  });
});

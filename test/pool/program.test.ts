/**
 * The real program under Pulumi mocks (in this process), for the committed preview stack:
 * the resource graph, the security rules and the plan's files.
 */
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPlan, type Plan } from "../../cli/plan/build-plan";
import { USER_DATA_MAX_BYTES } from "../../components/host/host";
import { ROOT, type ResourceEntry } from "../helpers/plan";

let plan: Plan;
let resources: ResourceEntry[];
const byType = (type: string) => resources.filter((r) => r.type === type);
const named = (type: string, name: string) => {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
};

beforeAll(async () => {
  plan = await buildPlan(ROOT, "preview");
  resources = JSON.parse(plan.files.get("resources.json")!) as ResourceEntry[];
});

describe("the preview pool's resource graph", () => {
  it("has one VPC, two public subnets, one core and two relays with their volumes and addresses", () => {
    const counts = Object.fromEntries(
      [
        "aws:ec2/vpc:Vpc",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/route:Route",
        "aws:ec2/instance:Instance",
        "aws:ebs/volume:Volume",
        "aws:ec2/volumeAttachment:VolumeAttachment",
        "aws:ec2/eip:Eip",
        "aws:ec2/eipAssociation:EipAssociation",
        "aws:ec2/securityGroup:SecurityGroup",
      ].map((t) => [t, byType(t).length]),
    );
    expect(counts).toEqual({
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/subnet:Subnet": 2,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/route:Route": 1,
      "aws:ec2/instance:Instance": 3,
      "aws:ebs/volume:Volume": 3,
      "aws:ec2/volumeAttachment:VolumeAttachment": 3,
      "aws:ec2/eip:Eip": 2,
      "aws:ec2/eipAssociation:EipAssociation": 2,
      "aws:ec2/securityGroup:SecurityGroup": 2,
    });
    expect(new Set(byType("aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone)).size).toBe(2);
  });

  it("parents every cloud resource under a kit component, under the stack", () => {
    const keys = new Set(resources.map((r) => `${r.type}::${r.name}`));
    for (const r of resources) {
      if (r.type === "pulumi:pulumi:Stack") {
        expect(r.parent).toBeNull();
        continue;
      }
      expect(keys.has(r.parent!), `${r.name}'s parent ${r.parent}`).toBe(true);
      if (r.type.startsWith("aws:")) expect(r.parent!.startsWith("stakepool:"), r.name).toBe(true);
    }
    expect(keys.size).toBe(resources.length);
  });

  it("runs every host on IMDSv2 with encrypted gp3 root and data volumes", () => {
    for (const instance of byType("aws:ec2/instance:Instance")) {
      expect(instance.inputs.metadataOptions).toMatchObject({ httpTokens: "required" });
      expect(instance.inputs.rootBlockDevice).toMatchObject({ volumeType: "gp3", encrypted: true });
      expect(instance.options).toMatchObject({ deleteBeforeReplace: true, ignoreChanges: ["ami", "keyName"] });
    }
    for (const volume of byType("aws:ebs/volume:Volume")) {
      expect(volume.inputs).toMatchObject({ type: "gp3", encrypted: true, size: 50 });
    }
  });

  it("places each host at its static private address, and only the core without an Elastic IP", () => {
    const hosts = JSON.parse(plan.files.get("hosts.json")!) as Array<Record<string, unknown>>;
    for (const host of hosts) {
      const instance = named("aws:ec2/instance:Instance", `pool-${String(host.name)}`);
      expect(instance.inputs.privateIp).toBe(host.privateIp);
      expect(instance.inputs.associatePublicIpAddress).toBe(host.role === "core");
    }
    expect(byType("aws:ec2/eip:Eip").map((e) => e.name).sort()).toEqual(["pool-relay-1", "pool-relay-2"]);
  });

  it("lets only the relays reach the core, one rule per source", () => {
    const coreRules = byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === "<id of pool-sg-core>",
    );
    const relayIps = (JSON.parse(plan.files.get("hosts.json")!) as Array<Record<string, string>>)
      .filter((h) => h.role === "relay")
      .map((h) => `${h.privateIp}/32`);
    expect(coreRules.map((r) => `${String(r.inputs.fromPort)}<-${String(r.inputs.cidrIpv4)}`).sort()).toEqual(
      relayIps.flatMap((ip) => [`22<-${ip}`, `3001<-${ip}`]).sort(),
    );
    expect(coreRules.every((r) => r.inputs.fromPort === r.inputs.toPort && r.inputs.ipProtocol === "tcp")).toBe(true);
  });

  it("opens relays to the node port from anywhere and SSH from the admin CIDR only", () => {
    const relayRules = byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === "<id of pool-sg-relay>",
    );
    expect(relayRules.map((r) => `${String(r.inputs.fromPort)}<-${String(r.inputs.cidrIpv4)}`).sort()).toEqual(["22<-203.0.113.7/32", "3001<-0.0.0.0/0"]);
  });

  it("uses each host's security group and subnet", () => {
    for (const instance of byType("aws:ec2/instance:Instance")) {
      const role = instance.name === "pool-core" ? "core" : "relay";
      expect(instance.inputs.vpcSecurityGroupIds).toEqual([`<id of pool-sg-${role}>`]);
      expect(String(instance.inputs.subnetId)).toMatch(/^<id of pool-vpc-us-east-2[ab]>$/);
    }
  });
});

describe("what reaches the hosts after boot", () => {
  it("delivers each host's firewall, topology and unit over SSH, as commands under the host, never as user data", () => {
    const commands = byType("command:remote:Command");
    expect(commands.map((c) => c.name).sort()).toEqual(
      ["core", "relay-1", "relay-2"].flatMap((h) => ["firewall", "topology", "service", "node"].map((k) => `pool-${h}-${k}`)).sort(),
    );
    for (const c of commands) {
      const [, host, kind] = /^pool-(core|relay-\d+)-(\w+)$/.exec(c.name)!;
      expect(c.parent).toBe(`stakepool:host:Host::pool-${host}`);
      // Names the instance, so a replaced server (same address) receives everything again.
      expect(String(c.inputs.create)).toMatch(new RegExp(`^# for instance <id of pool-${host}>\n`));
      if (kind !== "node") expect(String(c.inputs.create)).toMatch(/\n# stakepool delivery [0-9a-f]{64}\n/);
      expect(c.inputs.connection).toBe("[secret]"); // the SDK treats connections as secret
    }
    for (const host of ["core", "relay-1", "relay-2"]) {
      const userData = String(named("aws:ec2/instance:Instance", `pool-${host}`).inputs.userData);
      expect(userData).not.toContain("localRoots");
      expect(userData).not.toContain("table inet stakepool");
    }
  });

  it("gives the core a topology of its relays only, and each relay its peers", () => {
    const core = JSON.parse(plan.files.get("hosts/core/topology.json")!) as { localRoots: Array<{ accessPoints: Array<{ address: string }> }> };
    expect(core.localRoots.flatMap((g) => g.accessPoints.map((a) => a.address))).toEqual(["10.30.0.11", "10.30.1.12"]);
    const relay = JSON.parse(plan.files.get("hosts/relay-1/topology.json")!) as { localRoots: Array<{ accessPoints: unknown[] }> };
    expect(relay.localRoots.reduce((n, g) => n + g.accessPoints.length, 0)).toBeGreaterThanOrEqual(22);
  });
});

describe("the plan's files", () => {
  it("follow the contract: hosts.json, resources.json, plan.md and the files of every host", () => {
    const names = [...plan.files.keys()].sort();
    expect(names).toEqual(
      expect.arrayContaining([
        "hosts.json",
        "plan.md",
        "resources.json",
        ...["core", "relay-1", "relay-2"].flatMap((h) => ["cloud-init.yaml", "topology.json", "nftables.conf"].map((f) => `hosts/${h}/${f}`)),
      ]),
    );
    const hosts = JSON.parse(plan.files.get("hosts.json")!) as Array<Record<string, unknown>>;
    expect(hosts.map((h) => Object.keys(h).sort())).toEqual(
      hosts.map(() => ["availabilityZone", "dataDiskGiB", "instanceType", "memoryGiB", "name", "privateIp", "publicIp", "role"]),
    );
    expect(hosts.map((h) => [h.name, h.role])).toEqual([["core", "core"], ["relay-1", "relay"], ["relay-2", "relay"]]);
    for (const h of hosts) {
      expect(String(h.publicIp)).toMatch(/^<publicIp of pool-(core|relay-\d+)>$/);
      expect(h.memoryGiB).toBeGreaterThanOrEqual(4);
      expect(h.dataDiskGiB).toBeGreaterThanOrEqual(24);
    }
  });

  it("deploy each host's user data byte for byte as the plan shows it, gzipped under EC2's 16 KiB limit", () => {
    const instances = plan.resources.filter((r) => r.type === "aws:ec2/instance:Instance");
    expect(instances).toHaveLength(3);
    for (const instance of instances) {
      const host = instance.name.replace(/^pool-/, "");
      const packed = Buffer.from(String(instance.inputs.userDataBase64), "base64");
      expect(packed.length).toBeLessThanOrEqual(USER_DATA_MAX_BYTES); // 16384
      expect(gunzipSync(packed).toString("utf8")).toBe(plan.files.get(`hosts/${host}/cloud-init.yaml`));
      expect(instance.inputs.userData).toBeUndefined();
    }
  });

  it("tell the reviewer who can reach which port", () => {
    const md = plan.files.get("plan.md")!;
    expect(md).toContain("| core | 3001/tcp | cardano-node | relay-1 (10.30.0.11/32), relay-2 (10.30.1.12/32) |");
    expect(md).toContain("| relay-1, relay-2 | 22/tcp | SSH | admin 203.0.113.7/32 |");
    expect(md).toContain("| core | 12798/tcp | node metrics | nobody |");
    expect(md).toContain("## Peers");
  });
});

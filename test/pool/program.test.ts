/**
 * The real program under Pulumi mocks (in this process), for the committed preview stack:
 * the resource graph, the security rules and the plan's files.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildPlan, type Plan } from "../../cli/plan/build-plan";
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
  it("has one VPC, two public subnets, one core and two relays with their volumes and addresses, and a monitoring host without one", () => {
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
      "aws:ec2/instance:Instance": 4,
      "aws:ebs/volume:Volume": 3,
      "aws:ec2/volumeAttachment:VolumeAttachment": 3,
      "aws:ec2/eip:Eip": 2,
      "aws:ec2/eipAssociation:EipAssociation": 2,
      "aws:ec2/securityGroup:SecurityGroup": 3,
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
      // User data is constant for a server's life (components/host/host.ts); a change in the kit applies to new servers.
      expect(instance.options).toMatchObject({ deleteBeforeReplace: true, ignoreChanges: ["ami", "keyName", "userDataBase64"] });
      expect(instance.inputs.userDataReplaceOnChange).toBe(false);
    }
    for (const volume of byType("aws:ebs/volume:Volume")) {
      expect(volume.inputs).toMatchObject({ type: "gp3", encrypted: true, size: 50 });
    }
  });

  it("places each host at its static private address with a public address at launch, and gives relays an Elastic IP", () => {
    const hosts = JSON.parse(plan.files.get("hosts.json")!) as Array<Record<string, unknown>>;
    for (const host of hosts) {
      const instance = named("aws:ec2/instance:Instance", `pool-${String(host.name)}`);
      expect(instance.inputs.privateIp).toBe(host.privateIp);
      // The provider reads an associated Elastic IP back as true: false would replace a relay after a refresh.
      expect(instance.inputs.associatePublicIpAddress).toBe(true);
    }
    expect(byType("aws:ec2/eip:Eip").map((e) => e.name).sort()).toEqual(["pool-relay-1", "pool-relay-2"]);
  });

  it("tags each relay with the admin networks its firewall copies (a second path when the operator's address changes)", () => {
    for (const name of ["pool-relay-1", "pool-relay-2"]) {
      expect(named("aws:ec2/instance:Instance", name).inputs.tags).toMatchObject({ "stakepool:admin-1": "203.0.113.7/32" });
    }
    expect(Object.keys(named("aws:ec2/instance:Instance", "pool-core").inputs.tags as object).some((k) => k.startsWith("stakepool:admin-"))).toBe(false);
    // And an SSH delivery waits for the security group rule that admits the operator.
    const deps = (named("command:remote:Command", "pool-relay-1-system").options as { dependsOn?: string[] }).dependsOn ?? [];
    expect(deps).toContain("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::pool-sg-relay-ssh-from-admin-203-0-113-7-32");
  });

  it("associates an Elastic IP only once the internet gateway exists", () => {
    for (const association of byType("aws:ec2/eipAssociation:EipAssociation")) {
      expect((association.options as { dependsOn?: string[] }).dependsOn).toContain("aws:ec2/internetGateway:InternetGateway::pool-vpc-igw");
    }
  });

  it("lets only the relays reach the core, one rule per source", () => {
    const coreRules = byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === "<id of pool-sg-core>",
    );
    const relayIps = (JSON.parse(plan.files.get("hosts.json")!) as Array<Record<string, string>>)
      .filter((h) => h.role === "relay")
      .map((h) => `${h.privateIp}/32`);
    expect(coreRules.map((r) => `${String(r.inputs.fromPort)}<-${String(r.inputs.cidrIpv4)}`).sort()).toEqual(
      [...relayIps.flatMap((ip) => [`22<-${ip}`, `3001<-${ip}`]), "12798<-10.30.0.9/32", "9100<-10.30.0.9/32"].sort(),
    );
    expect(coreRules.every((r) => r.inputs.fromPort === r.inputs.toPort && r.inputs.ipProtocol === "tcp")).toBe(true);
  });

  it("opens relays to the node port from anywhere and SSH from the admin CIDR only", () => {
    const relayRules = byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === "<id of pool-sg-relay>",
    );
    expect(relayRules.map((r) => `${String(r.inputs.fromPort)}<-${String(r.inputs.cidrIpv4)}`).sort()).toEqual([
      "12798<-10.30.0.9/32",
      "22<-203.0.113.7/32",
      "3001<-0.0.0.0/0",
      "9100<-10.30.0.9/32",
    ]);
    const monitorRules = byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === "<id of pool-sg-monitor>");
    expect(monitorRules.map((r) => `${String(r.inputs.fromPort)}<-${String(r.inputs.cidrIpv4)}`).sort()).toEqual(["22<-10.30.0.11/32", "22<-10.30.1.12/32"]);
  });

  it("uses each host's security group and subnet", () => {
    for (const instance of byType("aws:ec2/instance:Instance")) {
      const role = instance.name === "pool-core" ? "core" : instance.name === "pool-monitor" ? "monitor" : "relay";
      expect(instance.inputs.vpcSecurityGroupIds).toEqual([`<id of pool-sg-${role}>`]);
      expect(String(instance.inputs.subnetId)).toMatch(/^<id of pool-vpc-us-east-2[ab]>$/);
    }
  });
});

describe("what reaches the hosts after boot", () => {
  it("delivers each host's steps over SSH in order, as commands under the host, never as user data", () => {
    const all = byType("command:remote:Command");
    // Each server's gate (`-up`) is the one command that is not a delivery.
    const commands = all.filter((c) => !c.name.endsWith("-up"));
    expect(all.filter((c) => c.name.endsWith("-up")).map((c) => c.name).sort()).toEqual(["pool-core-up", "pool-monitor-up", "pool-relay-1-up", "pool-relay-2-up"]);
    expect(commands.map((c) => c.name).sort()).toEqual(
      [
        ...["core", "relay-1", "relay-2"].flatMap((h) => ["system", "firewall", "node-setup", "topology", "node", "node-exporter"].map((k) => `pool-${h}-${k}`)),
        ...["system", "firewall", "monitoring"].map((k) => `pool-monitor-${k}`),
      ].sort(),
    );
    for (const c of all) {
      const [, host] = /^pool-(core|relay-\d+|monitor)-([\w-]+)$/.exec(c.name)!;
      expect(c.parent).toBe(`stakepool:host:Host::pool-${host}`);
      // Names the server, so a replaced server (same address) receives everything again.
      expect(String(c.inputs.create)).toMatch(new RegExp(`^# for server <id of pool-${host}>\n`));
    }
    for (const c of commands) {
      expect(String(c.inputs.create)).toMatch(/^# for server [^\n]+\n# stakepool delivery [0-9a-f]{64}\n/);
      expect(c.inputs.addPreviousOutputInEnv).toBe(false);
      expect(c.inputs.connection).toBe("[secret]"); // the command provider's schema marks connections secret
    }
    for (const host of ["core", "relay-1", "relay-2"]) {
      const userData = plan.files.get(`hosts/${host}/cloud-init.yaml`)!;
      expect(userData).not.toContain("localRoots");
      expect(userData).not.toContain("table inet stakepool");
      expect(userData).not.toContain("write_files");
    }
  });

  it("rolls restarts one host at a time, relays first, the core last", () => {
    const dependsOn = (name: string): string[] => (named("command:remote:Command", name).options as { dependsOn?: string[] }).dependsOn ?? [];
    expect(dependsOn("pool-relay-2-node")).toContain("command:remote:Command::pool-relay-1-node");
    expect(dependsOn("pool-core-node")).toContain("command:remote:Command::pool-relay-2-node");
    expect(dependsOn("pool-relay-1-node").some((d) => d.endsWith("-node") && d.startsWith("command:"))).toBe(false);
    // Within a host, each step after the one before.
    expect(dependsOn("pool-core-firewall")).toContain("command:remote:Command::pool-core-system");
    expect(dependsOn("pool-core-node")).toContain("command:remote:Command::pool-core-topology");
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
    expect(hosts.map((h) => [h.name, h.role])).toEqual([["core", "core"], ["relay-1", "relay"], ["relay-2", "relay"], ["monitor", "monitor"]]);
    for (const h of hosts.filter((x) => x.role !== "monitor")) {
      expect(String(h.publicIp)).toMatch(/^<publicIp of pool-(core|relay-\d+)>$/);
      expect(h.memoryGiB).toBeGreaterThanOrEqual(4);
      expect(h.dataDiskGiB).toBeGreaterThanOrEqual(24);
    }
    // The monitoring host: t3.small, no chain database.
    expect(hosts.at(-1)).toMatchObject({ instanceType: "t3.small", memoryGiB: 2, dataDiskGiB: 0, privateIp: "10.30.0.9" });
  });

  it("give each server its user data as a secret: it holds the server's private host key", () => {
    for (const instance of plan.resources.filter((r) => r.type === "aws:ec2/instance:Instance")) {
      expect(instance.inputs.userDataBase64).toBe("[secret]");
      expect(instance.inputs.userData).toBeUndefined();
    }
    const bootstrap = plan.files.get("hosts/relay-1/cloud-init.yaml")!;
    expect(bootstrap).toContain("ed25519_public: <host key of pool-relay-1>");
    expect(bootstrap).toContain("generated at deploy time, a secret");
  });

  it("tell the reviewer who can reach which port", () => {
    const md = plan.files.get("plan.md")!;
    expect(md).toContain("| core | 3001/tcp | cardano-node | relay-1 (10.30.0.11/32), relay-2 (10.30.1.12/32) |");
    expect(md).toContain("| relay-1, relay-2 | 22/tcp | SSH | admin 203.0.113.7/32 |");
    expect(md).toContain("| core | 12798/tcp | node metrics | monitor (10.30.0.9/32) |");
    expect(md).toContain("| monitor | 22/tcp | SSH | relay-1 (10.30.0.11/32), relay-2 (10.30.1.12/32) |");
    expect(md).toContain("## Peers");
  });
});

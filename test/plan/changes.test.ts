/**
 * The change report's rules, case by case with the provider's own (cli/plan/replacements.ts): what
 * replaces a server or a volume, what stops and starts a server, what an ignored input does, and how a
 * host's outcome follows from its resources.
 */
import { describe, expect, it } from "vitest";
import { compareRuns, renderChanges, type PlannedResource } from "../../cli/plan/changes";
import { inputEffect } from "../../cli/plan/replacements";

const instance = (inputs: Record<string, unknown>, options: PlannedResource["options"] = { ignoreChanges: ["ami", "keyName", "userDataBase64"] }): PlannedResource => ({
  type: "aws:ec2/instance:Instance",
  name: "pool-relay-1",
  parent: "stakepool:host:Host::pool-relay-1",
  options,
  inputs: { ami: "ami-1", instanceType: "t3.large", privateIp: "10.30.0.11", subnetId: "s-a", keyName: "k1", userDataBase64: "x", tags: { a: "1" }, ...inputs },
});

describe("what a changed input does (terraform-provider-aws ForceNew and update rules)", () => {
  const cases: ReadonlyArray<readonly [string, string, Record<string, unknown>, Record<string, unknown>, string | undefined]> = [
    ["a server's private address", "aws:ec2/instance:Instance", { privateIp: "a" }, { privateIp: "b" }, "replace"],
    ["a server's subnet", "aws:ec2/instance:Instance", { subnetId: "a" }, { subnetId: "b" }, "replace"],
    ["a server's instance type", "aws:ec2/instance:Instance", { instanceType: "t3.large" }, { instanceType: "t3.xlarge" }, "stop-start"],
    ["a server's tags", "aws:ec2/instance:Instance", { tags: { a: "1" } }, { tags: { a: "2" } }, "update"],
    ["a server's root volume size", "aws:ec2/instance:Instance", { rootBlockDevice: { volumeSize: 20, encrypted: true } }, { rootBlockDevice: { volumeSize: 30, encrypted: true } }, "update"],
    ["a server's root volume encryption", "aws:ec2/instance:Instance", { rootBlockDevice: { encrypted: true } }, { rootBlockDevice: { encrypted: false } }, "replace"],
    ["a volume's zone", "aws:ebs/volume:Volume", { availabilityZone: "a" }, { availabilityZone: "b" }, "replace"],
    ["a volume's size", "aws:ebs/volume:Volume", { size: 50 }, { size: 80 }, "update"],
    ["an attachment's volume", "aws:ec2/volumeAttachment:VolumeAttachment", { volumeId: "v1" }, { volumeId: "v2" }, "replace"],
    ["a key pair's key", "aws:ec2/keyPair:KeyPair", { publicKey: "a" }, { publicKey: "b" }, "replace"],
    ["a security group's description", "aws:ec2/securityGroup:SecurityGroup", { description: "a" }, { description: "b" }, "replace"],
    ["a rule's source family", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv4: "203.0.113.7/32" }, { cidrIpv6: "2001:db8::/64" }, "replace"],
    ["a rule's source network", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { cidrIpv4: "203.0.113.7/32" }, { cidrIpv4: "198.51.100.0/24" }, "update"],
    ["a record's name", "aws:route53/record:Record", { name: "a" }, { name: "b" }, "replace"],
    ["a record's address", "aws:route53/record:Record", { records: ["a"] }, { records: ["b"] }, "update"],
    ["a command's script", "command:remote:Command", { create: "a" }, { create: "b" }, "update"],
    ["a command's triggers", "command:remote:Command", { triggers: ["a"] }, { triggers: ["b"] }, "replace"],
    ["nothing", "aws:ebs/volume:Volume", { size: 50 }, { size: 50 }, undefined],
  ];
  for (const [what, type, before, after, effect] of cases) {
    it(`${what}: ${effect ?? "no change"}`, () => {
      expect(inputEffect(type, before, after)?.effect).toBe(effect);
    });
  }

  it("keeps an ignored input out of the diff (the engine keeps its old value), but not a replacement's other causes", () => {
    const ignore = ["ami", "keyName", "userDataBase64"];
    expect(inputEffect("aws:ec2/instance:Instance", { ami: "a", keyName: "k1" }, { ami: "b", keyName: "k2" }, ignore)).toBeUndefined();
    expect(inputEffect("aws:ec2/instance:Instance", { ami: "a" }, { ami: "b" })?.effect).toBe("replace");
    expect(inputEffect("aws:ec2/instance:Instance", { userDataBase64: "a" }, { userDataBase64: "b", userDataReplaceOnChange: true })?.effect).toBe("replace");
  });
});

describe("a host's outcome", () => {
  const context = { stepEffects: new Map([["pool-relay-1-node", "restart" as const], ["pool-relay-1-topology", "reload" as const]]), rollout: ["relay-1"] };
  const command = (step: string, create: string): PlannedResource => ({ type: "command:remote:Command", name: `pool-relay-1-${step}`, parent: "stakepool:host:Host::pool-relay-1", inputs: { create } });

  it("is the most severe of its resources' changes", () => {
    const before = [instance({}), command("topology", "a"), command("node", "a")];
    expect(compareRuns(before, [instance({}), command("topology", "b"), command("node", "a")], context).hosts[0]!.outcome).toBe("node reloaded");
    expect(compareRuns(before, [instance({}), command("topology", "b"), command("node", "b")], context).hosts[0]!.outcome).toBe("node restarted");
    expect(compareRuns(before, [instance({ instanceType: "t3.xlarge" }), command("topology", "b"), command("node", "b")], context).hosts[0]!.outcome).toBe("stopped and started");
    expect(compareRuns(before, [instance({ privateIp: "10.30.1.11" }), command("topology", "a"), command("node", "a")], context).hosts[0]!.outcome).toBe("replaced");
    expect(compareRuns(before, before, context).hosts[0]!.outcome).toBe("unchanged");
  });

  it("says a server stays stopped when only its volume attachment is replaced", () => {
    const attachment = (volumeId: string): PlannedResource => ({ type: "aws:ec2/volumeAttachment:VolumeAttachment", name: "pool-relay-1-data", parent: "stakepool:host:Host::pool-relay-1", inputs: { volumeId, deviceName: "/dev/sdf" } });
    const report = compareRuns([instance({}), attachment("v1")], [instance({}), attachment("v2")], context);
    expect(report.hosts[0]!.outcome).toBe("stopped and started");
    expect(report.hosts[0]!.because.join()).toContain("stays stopped");
  });

  it("flags chain data lost, and a protected resource that stops the deploy", () => {
    const volume = (zone: string): PlannedResource => ({ type: "aws:ebs/volume:Volume", name: "pool-relay-1-data", parent: "stakepool:host:Host::pool-relay-1", options: { protect: true }, inputs: { availabilityZone: zone, size: 350 } });
    const report = compareRuns([volume("us-east-2a")], [volume("us-east-2b")], context);
    expect(report.dataLoss).toBe(true);
    expect(report.kept).toEqual([{ kind: "data volume", name: "pool-relay-1-data", outcome: "REPLACED", protected: true, because: ["availabilityZone"] }]);
    expect(renderChanges("mainnet", report)).toContain("REPLACED (availabilityZone): protected, so `pulumi up` stops here until you unprotect it");
  });

  it("asks for a review of a resource type the replacement table does not know", () => {
    const odd: PlannedResource = { type: "aws:rds/instance:Instance", name: "db", parent: null, inputs: { a: 1 } };
    const report = compareRuns([odd], [{ ...odd, inputs: { a: 2 } }], context);
    expect(renderChanges("s", report)).toContain("Not in the kit's replacement table, review by hand: `aws:rds/instance:Instance` db.");
  });
});

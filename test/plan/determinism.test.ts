/** The plan is a reviewable artifact: the same pool gives the same bytes, however it is declared. */
import { describe, expect, it } from "vitest";
import { planWith, resourcesOf } from "../helpers/plan";
import { rawConfig } from "../helpers/config";

describe("plan determinism", () => {
  it("gives byte-identical files on two runs", async () => {
    const config = rawConfig("preprod", { relays: 3 });
    const [a, b] = await Promise.all([planWith("preprod", config), planWith("preprod", config)]);
    expect(Object.keys(a).length).toBeGreaterThan(5);
    expect(b).toEqual(a);
  });

  it("gives the same graph for the same pool declared in another order (the first two zones carry placement)", async () => {
    const declared = rawConfig("preview", {
      adminCidrs: ["198.51.100.0/24", "203.0.113.7/32"],
      availabilityZones: ["us-east-2a", "us-east-2c", "us-east-2b", "us-east-2d"],
    });
    const permuted = rawConfig("preview", {
      availabilityZones: ["us-east-2a", "us-east-2c", "us-east-2d", "us-east-2b", "us-east-2c"],
      adminCidrs: ["203.0.113.7/32", "198.51.100.0/24", "203.0.113.7/32"],
    });
    const reordered = { values: Object.fromEntries(Object.entries(permuted.values).reverse()), secretKeys: permuted.secretKeys };
    const [a, b] = await Promise.all([planWith("preview", declared), planWith("preview", reordered)]);
    expect(b).toEqual(a);
  });
});

describe("a larger mainnet pool", () => {
  it("protects chain data, Elastic IPs and relay DNS records, and scales the graph with the relays", async () => {
    const files = await planWith("mainnet", rawConfig("mainnet", { relays: 10, availabilityZones: ["us-east-2a", "us-east-2b", "us-east-2c"], dnsZone: "pool.example.com" }));
    const resources = resourcesOf(files);
    const count = (type: string) => resources.filter((r) => r.type === type).length;
    // 1 core, 10 relays and the monitoring host.
    expect(count("aws:ec2/instance:Instance")).toBe(12);
    expect(count("aws:ec2/eip:Eip")).toBe(10);
    expect(count("aws:ec2/subnet:Subnet")).toBe(3);
    // node and SSH from each of the 10 relays
    // Node and SSH from each of 10 relays, and the two scrapes from the monitoring host.
    expect(resources.filter((r) => r.name.startsWith("pool-sg-core-") && r.type.endsWith("SecurityGroupIngressRule"))).toHaveLength(22);
    const protectedTypes = ["aws:ebs/volume:Volume", "aws:ec2/eip:Eip", "aws:route53/record:Record"];
    expect(count("aws:route53/record:Record")).toBe(10);
    for (const r of resources.filter((x) => protectedTypes.includes(x.type))) {
      expect(r.options?.protect, r.name).toBe(true);
    }
    for (const r of resources.filter((x) => x.type === "aws:ec2/instance:Instance")) {
      expect(r.options?.protect, r.name).toBeUndefined();
    }
    const hosts = JSON.parse(files["hosts.json"]!) as Array<{ role: string; memoryGiB: number; dataDiskGiB: number }>;
    // Every node host meets mainnet's recommendation; the monitoring host runs no node.
    expect(hosts.filter((h) => h.role !== "monitor").every((h) => h.memoryGiB >= 24 && h.dataDiskGiB >= 300)).toBe(true);
    expect(hosts.filter((h) => h.role === "monitor")).toHaveLength(1);
  });
});

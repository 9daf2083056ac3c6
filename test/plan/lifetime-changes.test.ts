/**
 * Changes during a pool's life reach the servers without replacing or rebooting them: a node upgrade
 * changes only the release tags and the rolling upgrade steps; a new relay changes the core's firewall
 * and topology deliveries, never its instance or its user data.
 */
import { describe, expect, it } from "vitest";
import { rawConfig } from "../helpers/config";
import { planWith, resourcesOf, type PlanFiles, type ResourceEntry } from "../helpers/plan";

const key = (r: ResourceEntry) => `${r.type}::${r.name}`;

function changed(a: PlanFiles, b: PlanFiles): { changed: string[]; added: string[]; removed: string[] } {
  const ra = new Map(resourcesOf(a).map((r) => [key(r), r]));
  const rb = new Map(resourcesOf(b).map((r) => [key(r), r]));
  return {
    changed: [...ra.keys()].filter((k) => rb.has(k) && JSON.stringify(ra.get(k)) !== JSON.stringify(rb.get(k))).sort(),
    added: [...rb.keys()].filter((k) => !ra.has(k)).sort(),
    removed: [...ra.keys()].filter((k) => !rb.has(k)).sort(),
  };
}

const instanceOf = (files: PlanFiles, host: string) => resourcesOf(files).find((r) => r.type === "aws:ec2/instance:Instance" && r.name === `pool-${host}`)!;

describe("a node upgrade", () => {
  it("changes the release tags and the rolling upgrade steps only; user data stays", async () => {
    const sha = (c: string) => c.repeat(64);
    const before = rawConfig("preprod", { nodeVersion: "11.1.3", nodeSha256: sha("a") });
    const after = rawConfig("preprod", { nodeVersion: "11.2.0", nodeSha256: sha("b") });
    const [a, b] = await Promise.all([planWith("preprod", before), planWith("preprod", after)]);
    const diff = changed(a, b);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual(
      [
        ...["core", "relay-1", "relay-2"].map((h) => `aws:ec2/instance:Instance::pool-${h}`),
        ...["core", "relay-1", "relay-2"].map((h) => `command:remote:Command::pool-${h}-node`),
      ].sort(),
    );
    for (const host of ["core", "relay-1", "relay-2"]) {
      const [ia, ib] = [instanceOf(a, host), instanceOf(b, host)];
      // Only the tags differ: no user data, AMI or type change, so nothing stops or is replaced.
      expect({ ...ia.inputs, tags: null }).toEqual({ ...ib.inputs, tags: null });
      expect((ib.inputs.tags as Record<string, string>)["stakepool:node-version"]).toBe("11.2.0");
      expect(b[`hosts/${host}/cloud-init.yaml`]).toBe(a[`hosts/${host}/cloud-init.yaml`]);
    }
    const step = resourcesOf(b).find((r) => r.name === "pool-relay-1-node")!;
    expect(String(step.inputs.update)).toContain(`install-node.sh --restart 11.2.0 ${sha("b")}`);
  });
});

describe("a relay added to the pool", () => {
  it("reaches the core as new firewall and topology deliveries, without touching its server", async () => {
    const [a, b] = await Promise.all([planWith("preview", rawConfig("preview", { relays: 2 })), planWith("preview", rawConfig("preview", { relays: 3 }))]);
    const diff = changed(a, b);
    expect(diff.removed).toEqual([]);
    expect(diff.added.every((k) => k.includes("relay-3"))).toBe(true);
    // The core: its firewall and topology change, its instance, volume and user data do not.
    expect(diff.changed.filter((k) => k.includes("pool-core"))).toEqual(["command:remote:Command::pool-core-firewall", "command:remote:Command::pool-core-topology"]);
    expect(b["hosts/core/nftables.conf"]).toContain(resourcesOf(b).find((r) => r.name === "pool-relay-3" && r.type === "aws:ec2/instance:Instance")!.inputs.privateIp);
    expect(b["hosts/core/cloud-init.yaml"]).toBe(a["hosts/core/cloud-init.yaml"]);
    // The existing relays learn their new sibling the same way.
    for (const relay of ["relay-1", "relay-2"]) expect(diff.changed).toContain(`command:remote:Command::pool-${relay}-topology`);
    expect(diff.changed.some((k) => k.startsWith("aws:ec2/instance:Instance"))).toBe(false);
  });
});

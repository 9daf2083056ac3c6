/**
 * Changes during a pool's life reach the servers without replacing or rebooting them: a node upgrade
 * changes only the rolling node steps; a new relay changes the core's firewall and topology steps, never
 * its instance or its user data.
 */
import { describe, expect, it } from "vitest";
import { rawConfig } from "../helpers/config";
import { planWith, resourcesOf, type PlanFiles, type ResourceEntry } from "../helpers/plan";

const key = (r: ResourceEntry) => `${r.type}::${r.name}`;
/** What the engine acts on: inputs and options, but not the order it waits in (dependencies re-run nothing). */
const acted = (r: ResourceEntry | undefined) => JSON.stringify(r && { ...r, options: { ...r.options, dependsOn: undefined } });

function changed(a: PlanFiles, b: PlanFiles): { changed: string[]; added: string[]; removed: string[] } {
  const ra = new Map(resourcesOf(a).map((r) => [key(r), r]));
  const rb = new Map(resourcesOf(b).map((r) => [key(r), r]));
  return {
    changed: [...ra.keys()].filter((k) => rb.has(k) && acted(ra.get(k)) !== acted(rb.get(k))).sort(),
    added: [...rb.keys()].filter((k) => !ra.has(k)).sort(),
    removed: [...ra.keys()].filter((k) => !rb.has(k)).sort(),
  };
}


describe("a node upgrade", () => {
  it("changes the node steps only, which roll one host at a time; no server, user data or tag changes", async () => {
    const sha = (c: string) => c.repeat(64);
    const before = rawConfig("preprod", { nodeVersion: "11.1.3", nodeSha256: sha("a") });
    const after = rawConfig("preprod", { nodeVersion: "11.2.0", nodeSha256: sha("b") });
    const [a, b] = await Promise.all([planWith("preprod", before), planWith("preprod", after)]);
    const diff = changed(a, b);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual(["core", "relay-1", "relay-2"].map((h) => `command:remote:Command::pool-${h}-node`).sort());
    for (const host of ["core", "relay-1", "relay-2"]) {
      expect(b[`hosts/${host}/cloud-init.yaml`]).toBe(a[`hosts/${host}/cloud-init.yaml`]);
      expect(b[`hosts/${host}/release.env`]).toContain(`NODE_VERSION=11.2.0\nNODE_SHA256=${sha("b")}`.split("\n").reverse().join("\n"));
    }
  });
});

describe("a relay added to the pool", () => {
  it("reaches the core as new firewall and topology deliveries, without touching its server", async () => {
    const [a, b] = await Promise.all([planWith("preview", rawConfig("preview", { relays: 2 })), planWith("preview", rawConfig("preview", { relays: 3 }))]);
    const diff = changed(a, b);
    expect(diff.removed).toEqual([]);
    expect(diff.added.every((k) => k.includes("relay-3"))).toBe(true);
    // The core: its firewall and topology change, its instance, volume, user data and node do not.
    expect(diff.changed.filter((k) => k.includes("pool-core"))).toEqual(["command:remote:Command::pool-core-firewall", "command:remote:Command::pool-core-topology"]);
    expect(b["hosts/core/nftables.conf"]).toContain(resourcesOf(b).find((r) => r.name === "pool-relay-3" && r.type === "aws:ec2/instance:Instance")!.inputs.privateIp);
    expect(b["hosts/core/cloud-init.yaml"]).toBe(a["hosts/core/cloud-init.yaml"]);
    // The existing relays learn their new sibling the same way.
    for (const relay of ["relay-1", "relay-2"]) expect(diff.changed).toContain(`command:remote:Command::pool-${relay}-topology`);
    expect(diff.changed.some((k) => k.startsWith("aws:ec2/instance:Instance"))).toBe(false);
  });
});

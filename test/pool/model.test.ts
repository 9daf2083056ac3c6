import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firewallPolicy } from "../../components/firewall/policy";
import { placePool } from "../../components/program/load";
import { readSettings } from "../../components/config/read";
import { rawConfig } from "../helpers/config";
import { testModel, testPlacement } from "../helpers/model";

const model = testModel;

describe("the pool model", () => {
  it("puts the core in the first zone listed, spreads relays over the first two, and uses a further zone for pinned hosts", () => {
    const { model: m, placement } = testPlacement("preview", { relays: 5, availabilityZones: ["us-east-2c", "us-east-2a", "us-east-2b"], hostZones: { "relay-5": "us-east-2b" } });
    const zone = (name: string) => placement.hosts.get(name)!.availabilityZone;
    expect(zone(m.core.name)).toBe("us-east-2c");
    expect(m.relays.map((r) => zone(r.name))).toEqual(["us-east-2c", "us-east-2a", "us-east-2c", "us-east-2a", "us-east-2b"]);
    expect(m.hosts.map((h) => h.name)).toEqual(["core", "relay-1", "relay-2", "relay-3", "relay-4", "relay-5", "monitor"]);
    // The monitoring host sits in the first zone, below the core's offset, whatever the relays.
    expect(zone("monitor")).toBe("us-east-2c");
  });

  it("keeps the monitoring host's zone and address whatever the relays, and lets the operator pin it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (relays) => {
        const { model: m, placement } = testPlacement("preview", { relays });
        expect(m.monitor!.privateIp).toBe("10.30.0.9");
        expect(placement.hosts.get("monitor")!.availabilityZone).toBe("us-east-2a");
        expect(placement.hosts.get("monitor")!.instanceType.name).toBe("t3.small");
        expect(m.hosts.filter((h) => h.privateIp === m.monitor!.privateIp)).toHaveLength(1);
      }),
      { numRuns: 20 },
    );
    const pinned = testPlacement("preview", { hostZones: { monitor: "us-east-2b" } });
    expect(pinned.placement.hosts.get("monitor")!.availabilityZone).toBe("us-east-2b");
    expect(pinned.model.monitor!.privateIp).toBe("10.30.1.9");
    expect(pinned.model.monitor!.dataDisk).toEqual({ kind: "folder" });
    expect(testPlacement("preview", { monitoring: false }).model.monitor).toBeUndefined();
  });

  it("keeps every host's address when relays are added", () => {
    const before = model("preprod", { relays: 2 });
    const after = model("preprod", { relays: 4 });
    for (const host of before.hosts) {
      expect(after.hosts.find((h) => h.name === host.name)?.privateIp).toBe(host.privateIp);
    }
  });

  it("sizes hosts from the network when left on auto", () => {
    const main = model("mainnet");
    expect(main.core.memoryGiB).toBeGreaterThanOrEqual(24);
    expect(main.core.dataDiskGiB).toBeGreaterThanOrEqual(300);
    expect(main.protect).toBe(true);
    const preview = testPlacement("preview");
    expect(preview.placement.hosts.get("core")!.instanceType.name).toBe("t3.large");
    expect(preview.model.core.memoryGiB).toBe(8);
    expect(preview.model.core.dataDiskGiB).toBe(50);
    expect(preview.model.protect).toBe(false);
  });

  it("warns that more than 5 relays exceed the default Elastic IP quota", () => {
    const read = readSettings(rawConfig("preview", { relays: 6 }));
    const built = placePool(read.settings!, "us-east-2", "t");
    expect(built.findings.warnings.map((w) => w.setting)).toContain("stakepool:relays");
  });
});

describe("the firewall policy", () => {
  it("lets the core be reached only from its own relays, on 3001 and 22", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (relays) => {
        const m = model("preprod", { relays });
        const policy = firewallPolicy(m);
        const relayCidrs = m.relays.map((r) => `${r.privateIp}/32`).sort();
        for (const port of [3001, 22]) {
          const sources = policy.core.filter((r) => r.port === port).map((r) => r.source.cidr).sort();
          expect(sources).toEqual(relayCidrs);
        }
        expect(policy.core.every((r) => r.source.kind === "host")).toBe(true);
        expect(policy.core.some((r) => r.source.cidr === `${m.core.privateIp}/32`)).toBe(false);
        // And the monitoring host's scrapes, from its address alone.
        expect(new Set(policy.core.map((r) => r.port))).toEqual(new Set([3001, 22, 12798, 9100]));
        for (const port of [12798, 9100]) expect(policy.core.filter((r) => r.port === port).map((r) => r.source.cidr)).toEqual([`${m.monitor!.privateIp}/32`]);
      }),
    );
  });

  it("opens relays to the node port from anywhere and SSH from the admin networks only; metrics to the monitoring host only", () => {
    const m = model("mainnet", { adminCidrs: ["198.51.100.0/24", "203.0.113.7/32"] });
    const policy = firewallPolicy(m);
    expect(policy.relay.filter((r) => r.port === 3001).map((r) => r.source.cidr)).toEqual(["0.0.0.0/0"]);
    expect(policy.relay.filter((r) => r.port === 22).map((r) => r.source.cidr)).toEqual(["198.51.100.0/24", "203.0.113.7/32"]);
    for (const port of [12798, 9100]) expect(policy.relay.filter((r) => r.port === port).map((r) => r.source.cidr)).toEqual([`${m.monitor!.privateIp}/32`]);
    // The monitoring host: SSH from the relays, nothing else.
    expect(policy.monitor.map((r) => `${r.port}<-${r.source.cidr}`)).toEqual(m.relays.map((r) => `22<-${r.privateIp}/32`));
    // Each role's rules are named apart (one security group per role: a key names a rule resource in it).
    for (const rules of [policy.core, policy.relay, policy.monitor]) expect(new Set(rules.map((r) => r.key)).size).toBe(rules.length);
    const bare = firewallPolicy(model("mainnet", { monitoring: false }));
    expect([...bare.core, ...bare.relay, ...bare.monitor].some((r) => r.port === 12798 || r.port === 9100)).toBe(false);
  });
});

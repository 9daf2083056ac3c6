import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NETWORKS, type NetworkName } from "../../components/networks/networks";
import { parseSnapshot, SNAPSHOT_SETTING, type SnapshotParse } from "../../components/topology/snapshot";
import { bundledSnapshotPath, readSnapshotFile } from "../../components/topology/snapshot-file";
import { rawPools, snapshotText } from "./fixtures";

function parse(text: string, network: NetworkName = "mainnet"): SnapshotParse {
  return parseSnapshot({ text, source: "peer-snapshot.json", expectedMagic: NETWORKS[network].magic, network });
}

function newer(pools: unknown, magic = NETWORKS.mainnet.magic): string {
  return JSON.stringify({ NetworkMagic: magic, NodeToClientVersion: 23, Point: { blockPointHash: "00", blockPointSlot: 42 }, bigLedgerPools: pools });
}

function older(pools: unknown): string {
  return JSON.stringify({ version: 1, slotNo: 7, bigLedgerPools: pools });
}

const pool = (relays: unknown, relativeStake: unknown = 0.01) => ({ accumulatedStake: 0.01, relativeStake, relays });

function messages(result: SnapshotParse): string[] {
  return result.findings.problems.map((p) => p.message);
}

function expectRefused(result: SnapshotParse, fragment: string | RegExp): void {
  expect(result.snapshot).toBeUndefined();
  expect(result.findings.problems.length).toBeGreaterThan(0);
  for (const p of result.findings.problems) {
    expect(p.setting).toBe(SNAPSHOT_SETTING);
    expect(p.fix).toMatch(/cardano-cli query ledger-peer-snapshot/);
    expect(p.fix).toMatch(/pulumi config (set|rm) stakepool:peerSnapshotFile/);
  }
  expect(messages(result).some((m) => (typeof fragment === "string" ? m.includes(fragment) : fragment.test(m)))).toBe(true);
}

describe("the bundled snapshots", () => {
  it("match the SHA-256 their README records with their provenance", () => {
    const readme = fs.readFileSync(path.join(path.dirname(bundledSnapshotPath("mainnet")), "README.md"), "utf8");
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const digest = createHash("sha256").update(fs.readFileSync(bundledSnapshotPath(network))).digest("hex");
      expect(readme).toMatch(new RegExp(`${network}\\.json[^\\n]*${digest}`));
    }
  });

  it("reads the newer format (mainnet): magic, point slot, every pool", () => {
    const { snapshot, findings } = parse(snapshotText("mainnet"));
    expect(findings.problems).toEqual([]);
    expect(snapshot!.format).toBe("network-magic");
    expect(snapshot!.networkMagic).toBe(NETWORKS.mainnet.magic);
    expect(snapshot!.slot).toBe(185831188);
    expect(snapshot!.pools).toHaveLength(470);
    expect(snapshot!.pools.map((p) => p.relativeStake)).toEqual(rawPools("mainnet").map((p) => p.relativeStake));
  });

  it("reads the older format (preprod, preview): version 1, slotNo, address and domain relays", () => {
    for (const [network, pools] of [["preprod", 60], ["preview", 135]] as const) {
      const { snapshot, findings } = parse(snapshotText(network), network);
      expect(findings.problems).toEqual([]);
      expect(snapshot!.format).toBe("version-1");
      expect(snapshot!.networkMagic).toBeUndefined();
      expect(snapshot!.slot).toBe((JSON.parse(snapshotText(network)) as { slotNo: number }).slotNo);
      expect(snapshot!.pools).toHaveLength(pools);
    }
    const preprod = parse(snapshotText("preprod"), "preprod").snapshot!;
    // A {domain, port} relay and an {address, port} relay, as the file gives them.
    expect(preprod.pools[0]!.relays).toContainEqual({ address: "relay.preprod.wingriders.com", port: 3002 });
    expect(preprod.pools[1]!.relays).toEqual([{ address: "132.226.203.38", port: 6001 }]);
  });

  it("accounts for every relay: usable in its pool, or skipped with the place and the reason", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const { snapshot } = parse(snapshotText(network), network);
      const skippedAt = new Set(snapshot!.skipped.map((s) => s.where));
      rawPools(network).forEach((raw, i) => {
        raw.relays.forEach((relay, j) => {
          const where = `bigLedgerPools[${i}].relays[${j}]`;
          if (skippedAt.has(where)) return;
          const host = (relay.address ?? relay.domain)!.toLowerCase();
          expect(snapshot!.pools[i]!.relays, where).toContainEqual({ address: host, port: relay.port });
        });
        // Deduplicated by address and port inside a pool.
        const keys = snapshot!.pools[i]!.relays.map((r) => `${r.address}:${r.port}`);
        expect(new Set(keys).size).toBe(keys.length);
      });
    }
  });

  it("skips mainnet's 18 SRV relays (no port) and nothing else", () => {
    const { snapshot } = parse(snapshotText("mainnet"));
    const srv = rawPools("mainnet").flatMap((p) => p.relays).filter((r) => r.port === undefined);
    expect(srv).toHaveLength(18);
    expect(snapshot!.skipped).toHaveLength(18);
    expect(snapshot!.skipped.every((s) => /SRV/.test(s.reason))).toBe(true);
  });

  it("skips preview's relays that nobody can reach: 0.0.0.0, shared (CGNAT) and private addresses, even as a domain", () => {
    const { snapshot } = parse(snapshotText("preview"), "preview");
    const skipped = snapshot!.skipped.map((s) => s.relay).sort();
    expect(skipped).toEqual(["0.0.0.0:6000", "100.100.100.100:100", "172.30.100.10:6000", "172.30.100.12:6000"]);
    const all = snapshot!.pools.flatMap((p) => p.relays.map((r) => r.address));
    expect(all).not.toContain("0.0.0.0");
    expect(all.some((a) => a.startsWith("172.30."))).toBe(false);
  });
});

describe("a file that is not a usable snapshot", () => {
  it("is refused when it is not JSON", () => {
    expectRefused(parse("{ not json"), "is not JSON");
    expectRefused(parse(""), "is not JSON");
  });

  it("is refused when it is JSON of another shape", () => {
    expectRefused(parse("[]"), "not a peer snapshot object");
    expectRefused(parse('{"Producers": []}'), "neither NetworkMagic nor version");
    expectRefused(parse('{"version": 2, "bigLedgerPools": []}'), "snapshot version 2");
    expectRefused(parse('{"NetworkMagic": "mainnet", "bigLedgerPools": []}'), "NetworkMagic is");
    expectRefused(parse(newer({})), "bigLedgerPools is an object, not a list");
    expectRefused(parse(older(undefined)), "bigLedgerPools is missing");
  });

  it("is refused when it belongs to another network, naming both", () => {
    const result = parse(snapshotText("mainnet"), "preprod");
    expectRefused(result, "network magic 764824073");
    expect(messages(result)[0]).toMatch(/preprod \(magic 1\)/);
    expectRefused(parse(newer([pool([{ address: "relay.example.org", port: 3001 }])], 2), "preprod"), "magic 2");
  });

  it("says which pool or relay is malformed, and where", () => {
    const good = { address: "relay.example.org", port: 3001 };
    const pools = [pool([good]), pool([good]), pool([good]), pool([{ port: 3001 }])];
    expectRefused(parse(newer(pools)), "bigLedgerPools[3].relays[0] has neither address nor domain");
    expectRefused(parse(newer([pool([good, { address: 42, port: 1 }])])), "bigLedgerPools[0].relays[1].address is number 42, not text");
    expectRefused(parse(newer([pool([{ address: "relay.example.org", port: "3001" }])])), "bigLedgerPools[0].relays[0].port is string");
    expectRefused(parse(newer([pool("relay.example.org")])), "bigLedgerPools[0].relays is string");
    expectRefused(parse(newer([pool([good], "high")])), "bigLedgerPools[0].relativeStake is string");
    expectRefused(parse(newer([pool([good], 2)])), "bigLedgerPools[0].relativeStake is number 2");
    expectRefused(parse(newer([7])), "bigLedgerPools[0] is number 7, not a pool object");
    expectRefused(parse(older([pool([{ domain: "relay.example.org" }])])), "bigLedgerPools[0].relays[0] has no port");
  });

  it("sums up a flood of malformed entries instead of listing them all", () => {
    const pools = Array.from({ length: 40 }, () => pool([{}]));
    const result = parse(newer(pools));
    expect(result.snapshot).toBeUndefined();
    expect(result.findings.problems).toHaveLength(6);
    expect(messages(result)[5]).toMatch(/35 more problems/);
  });

  it("keeps well-formed relays it will not write as skipped, not as problems", () => {
    const relays = [
      { address: "relay.example.org" },
      { address: "relay.example.org", port: 0 },
      { address: "127.0.0.1", port: 3001 },
      { address: "bad_name.example.org", port: 3001 },
      { address: "Relay.Example.ORG.", port: 3001 },
    ];
    const { snapshot, findings } = parse(newer([pool(relays)]));
    expect(findings.problems).toEqual([]);
    expect(snapshot!.skipped.map((s) => s.where)).toEqual([0, 1, 2, 3].map((j) => `bigLedgerPools[0].relays[${j}]`));
    expect(snapshot!.pools[0]!.relays).toEqual([{ address: "relay.example.org", port: 3001 }]);
  });
});

describe("reading the snapshot file", () => {
  it("reads the bundled snapshot of the pool's network when no file is set", () => {
    for (const network of ["mainnet", "preprod", "preview"] as const) {
      const read = readSnapshotFile("", NETWORKS[network]);
      expect(read.findings.problems).toEqual([]);
      expect(read.path).toBe(bundledSnapshotPath(network));
      expect(read.snapshot!.pools.length).toBe(rawPools(network).length);
    }
  });

  it("reads the operator's file relative to the project folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-"));
    try {
      fs.writeFileSync(path.join(dir, "mine.json"), newer([pool([{ address: "relay.example.org", port: 3001 }])]));
      const read = readSnapshotFile("mine.json", NETWORKS.mainnet, dir);
      expect(read.findings.problems).toEqual([]);
      expect(read.snapshot!.pools[0]!.relays).toEqual([{ address: "relay.example.org", port: 3001 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a missing file on stakepool:peerSnapshotFile with a fix", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-"));
    try {
      const read = readSnapshotFile("nowhere.json", NETWORKS.preview, dir);
      expectRefused(read, "does not exist");
      expect(messages(read)[0]).toContain("nowhere.json");
      expectRefused(readSnapshotFile(".", NETWORKS.preview, dir), "is a folder");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The pinned era reader settings are the ones their README vouches for, one pair per network. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERA_READER_SOURCE_DIR, eraReaderSettings } from "../../../components/features/mithril-signer/era-reader";
import { NETWORKS } from "../../../components/networks/networks";

describe("the pinned Mithril era reader settings", () => {
  const readme = readFileSync(path.join(ERA_READER_SOURCE_DIR, "README.md"), "utf8");
  const table = new Map([...readme.matchAll(/^\| (\S+\.era\.(?:addr|vkey)) \| ([0-9a-f]{64}) \|$/gm)].map((m) => [m[1]!, m[2]!]));
  const files = readdirSync(ERA_READER_SOURCE_DIR).filter((f) => /\.era\.(addr|vkey)$/.test(f)).sort();

  it("match the SHA-256 recorded in their README, file for file", () => {
    expect([...table.keys()].sort()).toEqual(files);
    for (const file of files) {
      const digest = createHash("sha256").update(readFileSync(path.join(ERA_READER_SOURCE_DIR, file))).digest("hex");
      expect(digest, file).toBe(table.get(file));
    }
  });

  it("exist for every network's Mithril release, one line without a newline, the address on the network's own chain", () => {
    for (const network of Object.values(NETWORKS)) {
      const era = eraReaderSettings(network);
      expect(era.address).toMatch(network.name === "mainnet" ? /^addr1[a-z0-9]+$/ : /^addr_test1[a-z0-9]+$/);
      expect(era.verificationKey).toMatch(/^[0-9a-f]+$/);
    }
    expect(new Set(Object.values(NETWORKS).map((n) => eraReaderSettings(n).address)).size).toBe(3);
  });
});

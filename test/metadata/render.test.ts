/**
 * The metadata file's bytes are fixed by the kit: key order name, description, ticker, homepage (then
 * extDataUrl, extSigUrl, extVkey), compact JSON, UTF-8, no final newline. The hash is over exactly these.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Findings } from "../../components/config/problems";
import type { PoolMetadata } from "../../components/metadata/fields";
import { metadataHash } from "../../components/metadata/hash";
import { buildPoolMetadataFile } from "../../components/metadata/pool-metadata-file";
import { renderMetadata } from "../../components/metadata/render";

// The content of the genesis-pool-c.json vector, whose file has the keys in another order.
const GENESIS_POOL_C: PoolMetadata = {
  homepage: "https://iohk.io",
  name: "Genesis Pool C",
  ticker: "GPC",
  description: "Lorem Ipsum Dolor Sit Amet.",
};

describe("renderMetadata", () => {
  it("writes compact JSON in the kit's key order, without a final newline", () => {
    const { text, bytes } = renderMetadata(GENESIS_POOL_C);
    expect(text).toBe('{"name":"Genesis Pool C","description":"Lorem Ipsum Dolor Sit Amet.","ticker":"GPC","homepage":"https://iohk.io"}');
    expect(bytes.length).toBe(113);
    expect(bytes.at(-1)).toBe(0x7d); // "}"
  });

  it("gives a different hash than the vector with the same content in another key order", () => {
    // Same 113 bytes reordered: the published 8241de08… is for the upstream file, not for this one.
    expect(metadataHash(renderMetadata(GENESIS_POOL_C).bytes)).not.toBe("8241de08075886a7d09c847c9bbd1719459dac0bd0a2f085e673611ebb9a5965");
  });

  it("writes optional CIP-6 fields after the required ones, and only when set", () => {
    const text = renderMetadata({ ...GENESIS_POOL_C, extVkey: "v", extDataUrl: "https://e.com/d", extSigUrl: "https://e.com/s" }).text;
    expect(Object.keys(JSON.parse(text) as object)).toEqual(["name", "description", "ticker", "homepage", "extDataUrl", "extSigUrl", "extVkey"]);
    expect(renderMetadata(GENESIS_POOL_C).text).not.toContain("ext");
  });

  it("writes non-ASCII text as UTF-8, not as \\u escapes", () => {
    const { text, bytes } = renderMetadata({ ...GENESIS_POOL_C, name: "Café" });
    expect(text).toContain('"name":"Café"');
    expect(Buffer.from(bytes).includes(Buffer.from([0x43, 0x61, 0x66, 0xc3, 0xa9]))).toBe(true);
  });

  it("depends only on the content, not on the order the fields were given in", () => {
    const field = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(fc.record({ name: field, description: field, ticker: field, homepage: field }), fc.nat(23), (m, rotation) => {
        const entries = Object.entries(m);
        for (let i = 0; i < rotation % entries.length; i++) entries.push(entries.shift()!);
        const shuffled = Object.fromEntries(entries) as unknown as PoolMetadata;
        expect(Buffer.from(renderMetadata(shuffled).bytes)).toEqual(Buffer.from(renderMetadata(m).bytes));
        expect(JSON.parse(renderMetadata(m).text)).toEqual(m);
      }),
    );
  });
});

describe("buildPoolMetadataFile", () => {
  it("hashes the bytes it renders: the hash of the written file is the registered one", () => {
    const findings = new Findings();
    const file = buildPoolMetadataFile({ name: "Genesis Pool C", description: "Lorem Ipsum Dolor Sit Amet.", ticker: "GPC", homepage: "https://iohk.io" }, findings);
    expect(findings.problems).toEqual([]);
    expect(file?.text).toBe(renderMetadata(GENESIS_POOL_C).text);
    expect(file?.hash).toBe(metadataHash(new Uint8Array(Buffer.from(file!.text, "utf8"))));
    expect(file?.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** Metadata hashes match what upstream tools published, through the module and through the CLI. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { metadataHash } from "../../components/metadata/hash";
import { fixtureBytes, fixturePath, ROOT, TSX } from "../fixtures/paths";

const run = promisify(execFile);

// Published hashes (see test/fixtures/README.md): cardano-cli golden test, SMASH README, cardano-node-tests.
const VECTORS: readonly [string, number, string][] = [
  ["metadata/genesis-pool-c.json", 113, "8241de08075886a7d09c847c9bbd1719459dac0bd0a2f085e673611ebb9a5965"],
  ["metadata/smash-test-pool.json", 178, "cbdfc4f21feb0a414b2b9471fa56b0ebd312825e63db776d68cc3fa0ca1f5a2f"],
  ["metadata/testnet-iog1-compact.json", 101, "4b2221a0ac0b0197308323080ba97e3e453f8625393d30f96eebe0fca4cb7334"],
];

async function cli(command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, [...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("metadataHash", () => {
  it.each(VECTORS)("hashes %s (%i bytes) to its published hash", (file, size, hash) => {
    const bytes = fixtureBytes(file);
    expect(bytes.length).toBe(size); // the fixture is byte-exact
    expect(metadataHash(bytes)).toBe(hash);
  });

  it("changes with one byte: the SMASH vector without its final newline hashes differently", () => {
    const bytes = fixtureBytes("metadata/smash-test-pool.json");
    expect(bytes.at(-1)).toBe(0x0a);
    expect(metadataHash(bytes.subarray(0, -1))).not.toBe(VECTORS[1]![2]);
  });
});

describe("npm run metadata-hash", () => {
  it.each(VECTORS)("prints the hash of %s and a newline", async (file, _size, hash) => {
    const result = await cli(TSX, [path.join(ROOT, "cli/metadata-hash.ts"), fixturePath(file)]);
    expect(result).toEqual({ code: 0, stdout: `${hash}\n`, stderr: "" });
  });

  it("works through the npm script, as documented", async () => {
    const [file, , hash] = VECTORS[0]!;
    const result = await cli("npm", ["run", "--silent", "metadata-hash", "--", fixturePath(file)]);
    expect(result.stdout).toBe(`${hash}\n`);
    expect(result.code).toBe(0);
  });

  it("refuses a missing file with exit 1 and no stack trace", async () => {
    const result = await cli(TSX, [path.join(ROOT, "cli/metadata-hash.ts"), "/nonexistent/pool.json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("metadata-hash: /nonexistent/pool.json: no such file\n");
  });

  it("refuses a device or FIFO at once instead of reading it forever, and prints a hostile name escaped", async () => {
    const zero = await cli(TSX, [path.join(ROOT, "cli/metadata-hash.ts"), "/dev/zero"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toBe("metadata-hash: /dev/zero: is not a regular file (a device, FIFO or socket)\n");
    const named = await cli(TSX, [path.join(ROOT, "cli/metadata-hash.ts"), "/nonexistent/\u001b[2J\u202e.json"]);
    expect(named.stderr).toBe("metadata-hash: /nonexistent/\\u{1B}[2J\\u{202E}.json: no such file\n");
  });

  it("asks for the file when none is given, with exit 2", async () => {
    const result = await cli(TSX, [path.join(ROOT, "cli/metadata-hash.ts")]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("usage: npm run --silent metadata-hash -- <metadata file>");
  });

  it("still hashes a file over 512 bytes, with a note on stderr", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metadata-"));
    const file = path.join(dir, "big.json");
    const bytes = Buffer.alloc(600, 0x20);
    fs.writeFileSync(file, bytes);
    const result = await cli(TSX, [path.join(ROOT, "cli/metadata-hash.ts"), file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(result.stderr).toContain("600 bytes");
  });
});

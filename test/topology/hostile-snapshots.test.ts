/**
 * A peer snapshot is strangers' text: relays come from on-chain pool registrations, and the file may come
 * from anyone. Every hostile relay is skipped with a reason of the right kind (and never reaches a
 * topology); every hostile file is refused on stakepool:peerSnapshotFile, with a fix and without a stack
 * trace or the file's content, in bounded time and memory (measured in a child process whose heap is
 * capped). Property tests hold the host checks to their invariants on any text.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETWORKS } from "../../components/networks/networks";
import { canonicalIp, notPublicReason, parseHost, quoteHost } from "../../components/topology/peer";
import { parseSnapshot, SNAPSHOT_SETTING, type SnapshotParse } from "../../components/topology/snapshot";
import { ROOT } from "../fixtures/paths";
import type { ReaderLine } from "../helpers/snapshot-reader";
import { GOOD_RELAYS, HOSTILE_FILES, HOSTILE_RELAYS, LARGEST_ACCEPTED, pool, snapshotWith, type FileCase } from "./hostile-cases";

const GOOD = { address: "good.example.org", port: 3001 };

function parse(text: string): SnapshotParse {
  return parseSnapshot({ text, source: "peer-snapshot.json", network: NETWORKS.mainnet });
}

/** Printable ASCII (and the ellipsis of a cut quote), at most a line long: safe in a terminal and plan.md. */
function expectSafeText(text: string): void {
  expect(text).toMatch(/^[\x20-\x7e…]*$/);
  expect(text.length).toBeLessThan(400);
}

/** What the kit did with one relay: skipped (with its kind) or kept (with the peer it wrote). */
function verdict(relay: Readonly<Record<string, unknown>>): { kind?: string; reason?: string; kept: unknown[]; ms: number } {
  const started = performance.now();
  const result = parse(snapshotWith([pool([GOOD, relay])]));
  const ms = performance.now() - started;
  expect(result.findings.problems).toEqual([]);
  const snapshot = result.snapshot!;
  const kept = snapshot.pools[0]!.relays.filter((p) => p.address !== GOOD.address);
  const skipped = snapshot.skipped[0];
  return { ...(skipped ? { kind: skipped.kind, reason: skipped.reason } : {}), kept, ms };
}

describe("hostile relays in a snapshot", () => {
  it.each(HOSTILE_RELAYS.map((c) => [c.area, quoteHost(String(c.relay.address)), String(c.relay.port), c] as const))(
    "%s %s port %s: skipped with its reason, never written",
    (_area, _address, _port, c) => {
      const { kind, reason, kept, ms } = verdict(c.relay);
      expect(kept).toEqual([]);
      expect(kind).toBe(c.expect);
      expectSafeText(reason!);
      expect(ms).toBeLessThan(1000);
    },
  );

  it.each(GOOD_RELAYS.map((g) => [String(g.relay.address), g] as const))("%s is kept, in canonical form", (_address, g) => {
    const { kind, kept } = verdict(g.relay);
    expect(kind).toBeUndefined();
    expect(kept).toEqual([g.peer]);
  });

  it("counts as many hostile cases as the issue asks (at least 50, with the files)", () => {
    expect(HOSTILE_RELAYS.length + HOSTILE_FILES.length).toBeGreaterThanOrEqual(50);
  });
});

describe("hostile snapshot files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-snapshots-"));
  const lines = new Map<string, ReaderLine>();
  const reader = path.join(ROOT, "test/helpers/snapshot-reader.ts");
  /** The reader's heap cap: a file that needs more crashes the child, and the test fails. */
  const HEAP_MB = 256;

  function place(c: FileCase, index: number): string {
    const file = path.join(dir, `case-${index}.json`);
    const { content } = c;
    if (typeof content === "string" || Buffer.isBuffer(content)) fs.writeFileSync(file, content);
    else if (content.special === "folder") fs.mkdirSync(file);
    else if (content.special === "fifo") execFileSync("mkfifo", [file]);
    else if (content.special === "dev-zero") fs.symlinkSync("/dev/zero", file);
    return file;
  }

  beforeAll(async () => {
    const files = HOSTILE_FILES.map(place);
    const largest = path.join(dir, "largest.json");
    fs.writeFileSync(largest, LARGEST_ACCEPTED);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [`--max-old-space-size=${HEAP_MB}`, "--import", "tsx", reader, "mainnet", ...files, largest],
        { cwd: ROOT, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, out, err) => (error ? reject(new Error(`the reader failed: ${error.message} ${err.slice(0, 2000)}`)) : resolve(out)),
      );
    });
    for (const line of stdout.trim().split("\n")) {
      const parsed = JSON.parse(line) as ReaderLine;
      lines.set(parsed.file, parsed);
    }
  }, 180_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(HOSTILE_FILES.map((c, i) => [c.name, c, i] as const))("%s: refused on stakepool:peerSnapshotFile, in bounded time, saying why", (_name, c, i) => {
    const line = lines.get(path.join(dir, `case-${i}.json`))!;
    expect(line.pools).toBeUndefined();
    expect(line.problems.length).toBeGreaterThan(0);
    for (const p of line.problems) {
      expect(p.setting).toBe(SNAPSHOT_SETTING);
      expect(p.fix).toMatch(/cardano-cli latest query ledger-peer-snapshot/);
      expect(p.message).not.toMatch(/\n\s+at /);
      expectSafeText(p.message.replace(dir, "<dir>"));
    }
    const messages = line.problems.map((p) => p.message).join("\n");
    if (typeof c.refused === "string") expect(messages).toContain(c.refused);
    else expect(messages).toMatch(c.refused);
    expect(line.ms).toBeLessThan(10_000);
  });

  it("reads the largest snapshot it accepts (10,000 pools) in seconds, and no file took the reader past its memory bound", () => {
    const largest = lines.get(path.join(dir, "largest.json"))!;
    expect(largest.problems).toEqual([]);
    expect(largest.pools).toBe(10_000);
    expect(largest.ms).toBeLessThan(10_000);
    // The heap is capped at HEAP_MB (a larger need crashes the reader); the whole process stays near it.
    expect(Math.max(...[...lines.values()].map((l) => l.maxRssMB))).toBeLessThan(HEAP_MB + 256);
  });
});

/** Text a relay's address could hold: anything, IP-like, name-like. */
const hostText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.domain(),
  fc.domain().map((d) => d.toUpperCase()),
  fc.tuple(fc.domain(), fc.constantFrom("internal", "local", "lan", "localhost", "home.arpa", "test", "onion", "corp")).map(([d, s]) => `${d}.${s}`),
);

describe("the host checks, on any text", () => {
  it("never throw; what they accept is canonical, printable, public-suffixed and stable when parsed again", () => {
    fc.assert(
      fc.property(hostText, (text) => {
        const parsed = parseHost(text);
        if (!parsed.ok) {
          expect(["malformed", "numeric", "internal"]).toContain(parsed.refusal);
          expectSafeText(parsed.message);
          return;
        }
        expect(parsed.address).toMatch(/^[a-z0-9.:-]+$/);
        expect(parseHost(parsed.address)).toEqual(parsed);
        if (parsed.kind === "dns") {
          expect(parsed.address.split(".").length).toBeGreaterThanOrEqual(2);
          expect(parsed.address).not.toMatch(/\.(internal|local|lan|localhost|corp|test|onion|arpa)$/);
          expect(canonicalIp(parsed.address)).toBeUndefined();
        } else {
          expect(canonicalIp(parsed.address)?.address).toBe(parsed.address);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("read a name the same whatever its case, with or without the trailing dot", () => {
    fc.assert(
      fc.property(fc.domain(), (name) => {
        const verdict = (text: string) => {
          const parsed = parseHost(text);
          return parsed.ok ? parsed : { ok: false, refusal: parsed.refusal };
        };
        expect(verdict(name.toUpperCase())).toEqual(verdict(name));
        expect(verdict(`${name}.`)).toEqual(verdict(name));
      }),
    );
  });

  it("accept every IPv4 address written canonically, and refuse every other spelling of one", () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(parseHost(ip)).toMatchObject({ ok: true, kind: "ipv4", address: ip });
      }),
    );
    fc.assert(
      fc.property(fc.ipV4Extended(), (text) => {
        const parsed = parseHost(text);
        if (parsed.ok) expect(parsed.address).toBe(text); // only the canonical spelling passes
        else expect(parsed.refusal).toBe("numeric");
      }),
    );
  });

  it("accept any IPv6 text without a zone or embedded IPv4, written back canonically", () => {
    fc.assert(
      fc.property(fc.ipV6().filter((t) => !t.includes(".")), (text) => {
        const parsed = parseHost(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parseHost(parsed.address)).toEqual(parsed);
      }),
    );
  });

  it("quote any text safely and briefly", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 500 }), (text) => {
        expectSafeText(quoteHost(text));
      }),
    );
  });
});

describe("a snapshot of random relays", () => {
  const relay = fc.record({
    address: hostText,
    port: fc.oneof(fc.integer({ min: -70_000, max: 140_000 }), fc.constant("3001"), fc.double(), fc.constant(null)),
  });

  it("accounts for every relay exactly once, and keeps only canonical public hosts", () => {
    fc.assert(
      fc.property(fc.array(fc.array(relay, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), (pools) => {
        const result = parse(snapshotWith(pools.map((relays) => pool(relays))));
        expect(result.findings.problems).toEqual([]);
        const snapshot = result.snapshot!;
        pools.forEach((relays, i) => {
          const skippedHere = snapshot.skipped.filter((s) => s.where.startsWith(`bigLedgerPools[${i}].`)).length;
          expect(snapshot.pools[i]!.relays.length).toBeLessThanOrEqual(relays.length - skippedHere);
          if (skippedHere < relays.length) expect(snapshot.pools[i]!.relays.length).toBeGreaterThan(0);
        });
        for (const peer of snapshot.pools.flatMap((p) => p.relays)) {
          const parsed = parseHost(peer.address);
          expect(parsed.ok && parsed.address === peer.address && notPublicReason(parsed) === undefined).toBe(true);
          expect(peer.port).toBeGreaterThanOrEqual(1);
          expect(peer.port).toBeLessThanOrEqual(65535);
        }
      }),
      { numRuns: 300 },
    );
  });
});

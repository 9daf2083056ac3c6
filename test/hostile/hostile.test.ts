/**
 * Hostile operator input, table-driven (cases.ts, out-dir-cases.ts): every case refused (or warned
 * about, where that is the rule) before anything is created, naming the setting, printable, without a
 * stack trace or an echoed secret, with fixes and commands that survive bash, in bounded time and memory.
 *
 * The config cases run in one child process through the real loadPool (census.ts), which reports each
 * case's time and the process's peak memory; `--out` runs `npm run plan` in a sandboxed copy of the
 * repository; a few cases run the whole plan in a child process, as `npm run plan` would.
 */
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, TSX } from "../fixtures/paths";
import { COLD_SEED_HEX, opcertOfColdSkey } from "../helpers/cold";
import { rawConfig } from "../helpers/config";
import { KES_SKEY, VRF_SKEY } from "../helpers/hot-keys";
import type { PlanFiles } from "../helpers/plan";
import type { Census } from "./census";
import { CONFIG_CASES } from "./cases";
import { judgeOutDir, makeSandbox, OUT_DIR_CASES, type Sandbox } from "./out-dir-cases";
import { runInBash } from "./shell-run";

const run = promisify(execFile);
/** Bounds: per case (config cases are judged in milliseconds), and for the one process that judges them all. */
const CASE_MS = 10_000;
const CENSUS_RSS_KIB = 600 * 1024;

const census = JSON.parse(
  execFileSync(TSX, [path.join(ROOT, "test/hostile/census.ts")], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20, timeout: 300_000 }),
) as Census;

describe("hostile config, through the real loadPool", () => {
  it(`covers ${CONFIG_CASES.length} cases in one process within ${CENSUS_RSS_KIB / 1024} MiB`, () => {
    expect(census.verdicts).toHaveLength(CONFIG_CASES.length);
    expect(new Set(CONFIG_CASES.map((c) => c.id)).size).toBe(CONFIG_CASES.length);
    expect(census.maxRssKiB).toBeLessThan(CENSUS_RSS_KIB);
  });

  for (const area of [...new Set(census.verdicts.map((v) => v.area))]) {
    describe(area, () => {
      it.each(census.verdicts.filter((v) => v.area === area).map((v) => [v.id, v] as const))("%s", (_, verdict) => {
        expect(verdict.why, verdict.printed).toEqual([]);
        expect(verdict.outcome).toBe("clean");
        expect(verdict.ms).toBeLessThan(CASE_MS);
      });
    });
  }
});

describe("hostile --out, through npm run plan in a sandboxed copy of the repository", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = makeSandbox();
  });
  afterAll(() => fs.rmSync(sandbox.box, { recursive: true, force: true }));

  it.each(OUT_DIR_CASES.map((c) => [c.id, c] as const))("%s", async (_, c) => {
    const verdict = await judgeOutDir(c, { guard: true, sandbox });
    expect(verdict.why, verdict.printed).toEqual([]);
    expect(verdict.outcome).toBe("clean");
  }, 120_000);
});

/** Runs the plan of `config` in a child process as test/helpers/plan.ts does, measuring its peak memory and CPU time. */
async function measuredPlan(stack: string, config: ReturnType<typeof rawConfig>): Promise<{ code: number; stdout: string; stderr: string; rssKiB: number; cpuSeconds: number }> {
  const payload = JSON.stringify({ values: config.values, secretKeys: [...config.secretKeys] });
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await run("/usr/bin/time", ["-f", "maxrss=%M cpu=%U+%S", TSX, path.join(ROOT, "test/helpers/plan-runner.ts"), stack, payload], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
      timeout: 120_000,
      env: { ...process.env, STAKEPOOL_NOW: "2026-11-21T12:00:00Z" },
    });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    result = { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  return {
    ...result,
    stderr: result.stderr.replace(/maxrss=\d+ cpu=\S+\n?/, ""),
    rssKiB: Number(/maxrss=(\d+)/.exec(result.stderr)?.[1] ?? "0"),
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : 0,
  };
}

describe("hostile config, through the whole plan", () => {
  // Identity settings (metadata, registration numbers) are checked on a built model: a pool whose hosts or
  // admin ranges are refused reports those first. Hence two runs.
  it.each([
    [
      "hosts and admin ranges",
      "mainnet",
      {
        adminCidrs: ["0.0.0.0/1", "128.0.0.0/1", "2000::/3"],
        kesSigningKey: KES_SKEY,
        vrfSigningKey: VRF_SKEY,
        operationalCertificate: opcertOfColdSkey(992),
        peerSeed: COLD_SEED_HEX,
        metadata: JSON.stringify({ name: "Evil\u202eloop", ticker: "EVL", description: "x", homepage: "https://e.io/" }),
        pledge: "99999999999999999",
        margin: "5%",
        relays: "1e20",
        "stakepool:x\u001b]0;pwned\u0007": "1",
      },
      ["stakepool:adminCidrs", "stakepool:adminCidrs[2]", "stakepool:peerSeed", "stakepool:metadata.name", "stakepool:pledge", "stakepool:margin", "stakepool:relays", "stakepool:x\\u{1B}]0;pwned\\u{7}"],
    ],
    [
      "identity",
      "preview",
      {
        kesSigningKey: KES_SKEY,
        vrfSigningKey: VRF_SKEY,
        operationalCertificate: opcertOfColdSkey(992),
        metadata: JSON.stringify({ name: "Pool", ticker: "EVL", description: "x", homepage: 'https://e.io/"><script>', extDataUrl: "https://e.io/x", extSigUrl: "https://e.io/s", extVkey: `5820${COLD_SEED_HEX}` }),
        metadataUrl: "https://e.io/$(touch${IFS}pwned)",
        cost: "0",
        alertEmail: "ops@example.com\u202e",
      },
      ["stakepool:metadata.extVkey", "stakepool:metadataUrl", "stakepool:cost", "stakepool:alertEmail"],
    ],
  ] as const)("reports the %s problems at once, each naming its setting, in one bounded run that creates nothing", async (_, network, values, settings) => {
    const result = await measuredPlan(network, rawConfig(network, values));
    expect(result.code, result.stderr).toBe(1);
    for (const setting of settings) expect(result.stderr, setting).toContain(`  - ${setting}:`);
    expect(result.stderr).not.toMatch(/\n\s+at \S/);
    expect(result.stderr.toLowerCase()).not.toContain(COLD_SEED_HEX);
    // eslint-disable-next-line no-control-regex -- the point is that none reaches the terminal
    expect(result.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(result.rssKiB).toBeLessThan(CENSUS_RSS_KIB);
    expect(result.cpuSeconds).toBeLessThan(CASE_MS / 1000);
  });

  it("prints a registration command that bash runs as exactly one cardano-cli call with every value intact", async () => {
    const config = rawConfig("preview", {
      metadata: JSON.stringify({ name: "Quoted Pool", ticker: "QTD", description: "It's a pool.", homepage: "https://example.com/?a=1&b=2" }),
      metadataUrl: "https://pool.example.com/p.json?v=1&x=2",
      dnsZone: "pool.example.com",
      pledge: "1000000000",
      cost: "170000000",
      margin: "0.015",
    });
    const result = await measuredPlan("preview", config);
    expect(result.code, result.stderr).toBe(0);
    const md = (JSON.parse(result.stdout) as PlanFiles)["plan.md"]!;
    const block = /Run on the offline machine[^\n]*\n\n```\n([\s\S]*?)\n```/.exec(md)![1]!;
    const pasted = runInBash(block, "cardano-cli");
    expect(pasted.strayFiles).toEqual([]);
    const argv = pasted.argv!;
    const after = (flag: string) => argv[argv.indexOf(flag) + 1];
    expect(after("--metadata-url")).toBe("https://pool.example.com/p.json?v=1&x=2");
    expect(after("--pool-margin")).toBe("0.015");
    expect(argv.filter((a, i) => argv[i - 1] === "--single-host-pool-relay")).toEqual(["relay-1.pool.example.com", "relay-2.pool.example.com"]);
    expect(argv.slice(-2)).toEqual(["--out-file", "pool-registration.cert"]);
  });

  it.each(["mainnet", "preprod", "preview"])("the committed plan of %s: its registration command pasted into bash runs cardano-cli once, placeholders as arguments", (stack) => {
    const md = fs.readFileSync(path.join(ROOT, "plans", `${stack}.md`), "utf8");
    const block = /Run on the offline machine[^\n]*\n\n```\n([\s\S]*?)\n```/.exec(md)![1]!;
    const pasted = runInBash(block, "cardano-cli");
    expect(pasted.strayFiles).toEqual([]);
    expect(pasted.argv).toContain("<pledge in lovelace>");
    expect(pasted.argv!.filter((a) => a.startsWith("<publicIp of"))).toHaveLength(2);
  });
});

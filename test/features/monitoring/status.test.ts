/**
 * `npm run status`: the figures per host and what fires, from the query API of a Prometheus (here a
 * loopback stand-in answering canned vectors; the monitoring lab runs it against the real one).
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { N } from "../../../components/features/monitoring/metrics";
import { collectStatus, FIRING, renderStatus, type Sample } from "../../../components/features/monitoring/status";
import { NETWORKS } from "../../../components/networks/networks";

const host = (h: string, value: number, extra: Record<string, string> = {}): Sample => ({ metric: { host: h, ...extra }, value });

/** Canned answers by the expression's leading metric; anything else is an empty vector. */
function answer(expr: string): Sample[] {
  if (expr === N.blockNum) return [host("core", 12_000_123), host("relay-1", 12_000_123), host("relay-2", 12_000_120)];
  if (expr === N.remainingKesPeriods) return [host("core", 8)];
  if (expr === N.activePeers) return [host("core", 2), host("relay-1", 22), host("relay-2", 21)];
  if (expr.startsWith("min by (host)")) return [host("core", 61.4), host("relay-1", 55), host("relay-2", 54), host("monitor", 80)];
  if (expr === FIRING) return [host("core", 1, { alertname: "KESExpiringSoon", severity: "warning" })];
  return [];
}

describe("the status report", () => {
  it("has one row per host in the kit's order, a dash where a host has no such figure, and what fires", async () => {
    const report = await collectStatus(async (expr) => Promise.resolve(answer(expr)), NETWORKS.preview);
    expect(report.hosts).toEqual(["core", "relay-1", "relay-2", "monitor"]);
    const text = renderStatus(report);
    const [header, core, relay1, , monitor] = text.split("\n");
    expect(header).toMatch(/^host\s+height\s+tip lag\s+sync\s+hot/);
    expect(core).toMatch(/^core\s+12000123\s+-\s+-\s+2\s/);
    expect(core).toContain(" 8 ");
    expect(relay1).toMatch(/^relay-1\s+12000123\s+-\s+-\s+22\s/);
    expect(monitor).toMatch(/^monitor\s+-\s+-/);
    expect(text).toContain("firing:\n  core: KESExpiringSoon (warning)\n");
  });
});

describe("npm run status", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      if (u.pathname === "/-/ready") return res.end("ready");
      const expr = u.searchParams.get("query") ?? "";
      const result = answer(expr).map((s) => ({ metric: s.metric, value: [1795694000, String(s.value)] }));
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "../../../cli/status.ts"), ...args], { encoding: "utf8" }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });

  it("prints the table for a stack's network from a reachable Prometheus", async () => {
    const { code, stdout } = await cli("--stack", "preview", "--prometheus", url);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^host\s+height/);
    expect(stdout).toContain("core: KESExpiringSoon (warning)");
  });

  it("prints JSON with --json", async () => {
    const { code, stdout } = await cli("--network", "mainnet", "--prometheus", url, "--json");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { network: string; hosts: Record<string, Record<string, string | null>> };
    expect(report.network).toBe("mainnet");
    expect(report.hosts.core!["KES left"]).toBe("8");
    expect(report.hosts["relay-1"]!["KES left"]).toBeNull();
  });

  it("takes the route from the stack: on AWS it asks for relay-1's Elastic IP, known only once deployed (exit 2, no connection)", async () => {
    const { code, stderr } = await cli("--stack", "preview");
    expect(code).toBe(2);
    expect(stderr).toContain("give --jump <relay-1's public IP>");
    const both = await cli("--stack", "preview", "--network", "preview", "--prometheus", url);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--stack or --network, not both");
  });

  it("refuses unclear routes and networks with the usage (exit 2)", async () => {
    for (const args of [["--network", "mainnet"], ["--network", "testnet", "--prometheus", url], ["--network", "preview", "--jump", "relay", "--monitor", "monitor.example"]]) {
      const { code, stderr } = await cli(...args);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr).toMatch(/^status: /);
    }
  });
});

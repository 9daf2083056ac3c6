/**
 * The proxy's squid configuration, read as data (who is admitted, to where, what is logged) and checked
 * by the real squid (`squid -k parse`, Debian package `squid`).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_SQUID_CONFIG } from "../../../components/features/mithril-signer/commands";
import { RELAY_PROXY_CONFIG_FILE } from "../../../components/features/mithril-signer/paths";
import { aggregatorDestination, signerDestinations } from "../../../components/features/mithril-signer/destinations";
import { renderSquidConfig } from "../../../components/features/mithril-signer/squid-conf";
import { NETWORK_NAMES, NETWORKS, type NetworkProfile } from "../../../components/networks/networks";
import { describeWith } from "../../helpers/requirements";
import { signerInput } from "./input";

const run = promisify(execFile);

/** Directive → its argument lines, in order. */
function directives(conf: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of conf.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const [name, ...rest] = line.split(" ");
    map.set(name!, [...(map.get(name!) ?? []), rest.join(" ")]);
  }
  return map;
}

describe("the signer's destinations", () => {
  it("are the aggregator's host on 443, one per network", () => {
    expect(signerDestinations(NETWORKS.mainnet)).toEqual([{ host: "aggregator.release-mainnet.api.mithril.network", port: 443 }]);
    expect(aggregatorDestination(NETWORKS.preprod)).toEqual({ host: "aggregator.release-preprod.api.mithril.network", port: 443 });
    expect(aggregatorDestination(NETWORKS.preview)).toEqual({ host: "aggregator.pre-release-preview.api.mithril.network", port: 443 });
  });

  it("refuse an aggregator URL that is not https on a DNS name", () => {
    const at = (url: string): NetworkProfile => ({ ...NETWORKS.preview, mithrilAggregator: url });
    expect(() => aggregatorDestination(at("http://aggregator.example.org/aggregator"))).toThrow(/not https/);
    expect(() => aggregatorDestination(at("https://203.0.113.9/aggregator"))).toThrow(/not a DNS name/);
    expect(() => aggregatorDestination(at("https://single-label/aggregator"))).toThrow(/not a DNS name/);
    expect(aggregatorDestination(at("https://agg.example.org:8443/x"))).toEqual({ host: "agg.example.org", port: 8443 });
  });
});

describe("the proxy's configuration", () => {
  const { model, input } = signerInput("mainnet");
  const relayIp = model.relays[0]!.privateIp;
  const conf = directives(renderSquidConfig(input, relayIp));

  it("listens on the relay's private address only, on 3132", () => {
    expect(conf.get("http_port")).toEqual([`${relayIp}:3132`]);
    expect(conf.get("icp_port")).toEqual(["0"]);
    expect(conf.get("htcp_port")).toEqual(["0"]);
    expect(conf.get("snmp_port")).toEqual(["0"]);
  });

  it("admits the core alone, CONNECT alone, to the aggregator's exact host on 443, and denies everything else", () => {
    expect(conf.get("acl")).toEqual([
      `core src ${model.core.privateIp}/32`,
      "aggregator dstdomain -n aggregator.release-mainnet.api.mithril.network",
      "aggregator_port port 443",
      "CONNECT method CONNECT",
      "refused http_status 403",
    ]);
    expect(conf.get("http_access")).toEqual(["allow CONNECT core aggregator aggregator_port", "deny all"]);
  });

  it("caches nothing, keeps nothing on disk, never tells the aggregator about the core, and logs refusals only", () => {
    expect(conf.get("cache")).toEqual(["deny all"]);
    expect(conf.get("forwarded_for")).toEqual(["delete"]);
    expect(conf.get("via")).toEqual(["off"]);
    expect(conf.get("pid_filename")).toEqual(["none"]);
    expect(conf.get("netdb_filename")).toEqual(["none"]);
    expect(conf.get("access_log")).toEqual(["syslog:daemon.info squid refused"]);
    expect(conf.get("cache_log")).toEqual(["/dev/null"]);
    expect(conf.has("cache_dir")).toBe(false);
  });

  it("is rendered only for a proxy relay", () => {
    expect(() => renderSquidConfig(input, model.core.privateIp)).toThrow(/not one of the proxy relays/);
    expect(() => renderSquidConfig({ ...input, proxyRelayIps: [] }, relayIp)).toThrow(/at least one proxy relay/);
    expect(() => renderSquidConfig({ ...input, coreIp: "10.0.0.1/24" }, relayIp)).toThrow(/not an IPv4 address/);
  });
});

describeWith({ tools: ["squid"] }, "squid -k parse", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stakepool-squid-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function parse(text: string): Promise<{ code: number; output: string }> {
    const file = path.join(dir, "squid.conf");
    writeFileSync(file, text);
    try {
      const { stdout, stderr } = await run("squid", ["-k", "parse", "-f", file]);
      return { code: 0, output: `${stdout}${stderr}` };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  }

  for (const network of NETWORK_NAMES) {
    it(`accepts the configuration of each proxy relay (${network}); its only remark is the Via it was told to drop`, async () => {
      const { input } = signerInput(network);
      for (const relayIp of input.proxyRelayIps) {
        const result = await parse(renderSquidConfig(input, relayIp));
        expect(result.code, result.output).toBe(0);
        const remarks = result.output.split("\n").filter((l) => /WARNING|ERROR|FATAL/i.test(l));
        expect(remarks.map((l) => l.replace(/^.*\| /, ""))).toEqual(["WARNING: HTTP requires the use of Via"]);
      }
    });
  }

  it("is checked the same way on the relay before the proxy restarts (the step's own command, with squid's reason on failure)", async () => {
    const { input } = signerInput("preprod");
    const root = path.join(dir, "root");
    const conf = path.join(root, RELAY_PROXY_CONFIG_FILE);
    const check = async (text: string) => {
      mkdirSync(path.dirname(conf), { recursive: true });
      writeFileSync(conf, text);
      try {
        await run("sh", ["-c", CHECK_SQUID_CONFIG], { env: { ...process.env, R: root } });
        return { code: 0, stderr: "" };
      } catch (error) {
        const e = error as { code?: number; stderr?: string };
        return { code: e.code ?? 1, stderr: e.stderr ?? "" };
      }
    };
    expect(await check(renderSquidConfig(input, input.proxyRelayIps[0]!))).toEqual({ code: 0, stderr: "" });
    const broken = await check(`${renderSquidConfig(input, input.proxyRelayIps[0]!)}http_access allow nobody_defined\n`);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/nobody_defined/);
  });

  it("would refuse a configuration squid cannot use (so the checks above mean something)", async () => {
    const { input } = signerInput("preview");
    const broken = renderSquidConfig(input, input.proxyRelayIps[0]!).replace("dstdomain -n", "dstdomains -n");
    const result = await parse(broken);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/dstdomains/);
  });
});

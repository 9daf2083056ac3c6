/**
 * The Mithril signer wired into the pool (issue 16): `stakepool:mithrilSigner` decides, the core gets the
 * signer as its last step, the first two relays the proxy, both walls admit the proxy port from the core
 * only, and a KES rotation changes the keys step alone, whose commands reload the node, then restart the
 * signer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { KEYS_APPLY_WITH_SIGNER } from "../../../components/features/mithril-signer/commands";
import { MITHRIL_SIGNER_FEATURE } from "../../../components/features/mithril-signer/steps";
import { RELOAD_NODE } from "../../../components/features/node-commands";
import { planDeployment, type Deployment } from "../../../components/deployment/deployment";
import { firewallPolicy, hostRules } from "../../../components/firewall/policy";
import { renderNftables } from "../../../components/firewall/nftables";
import { kesPeriodAt } from "../../../components/keys/kes";
import { NETWORKS, MITHRIL_PROXY_PORT } from "../../../components/networks/networks";
import { loadPool } from "../../../components/program/load";
import { ConfigurationError } from "../../../components/config/problems";
import type { RawConfig } from "../../../components/config/read";
import { rawConfig, type ConfigValues } from "../../helpers/config";
import { planWith, resourcesOf, ROOT, type PlanFiles } from "../../helpers/plan";
import { KES_SKEY, VRF_SKEY, opcertFor } from "../../helpers/hot-keys";

const NOW = new Date("2026-11-21T12:00:00Z");
const PIN = { nodeSha256: "a".repeat(64), mithrilSha256: "b".repeat(64) };

function keys(network: "mainnet" | "preview", counter = 0, offset = 0): ConfigValues {
  const period = kesPeriodAt(NETWORKS[network].timing, NOW);
  return { kesSigningKey: KES_SKEY, vrfSigningKey: VRF_SKEY, operationalCertificate: opcertFor(period - offset, counter) };
}

/** The stack's config, the hot keys as secrets (pulumi config set --secret). */
function config(network: "mainnet" | "preview", values: ConfigValues): RawConfig {
  const raw = rawConfig(network, values);
  return { values: raw.values, secretKeys: new Set(["kesSigningKey", "vrfSigningKey", "operationalCertificate"].map((k) => `stakepool:${k}`)) };
}

function loaded(network: "mainnet" | "preview", values: ConfigValues, deploying = false) {
  return loadPool(config(network, values), "sig", { deploying, now: NOW, baseDir: ROOT });
}

function deploymentOf(network: "mainnet" | "preview", values: ConfigValues): Deployment {
  return planDeployment(loaded(network, { ...PIN, ...values }));
}

function stepsOf(deployment: Deployment): Record<string, string[]> {
  return Object.fromEntries(deployment.hosts.map((h) => [h.host.name, h.steps.map((s) => s.name)]));
}

describe("stakepool:mithrilSigner", () => {
  it("auto: a forging mainnet pool runs the signer on the core, proxies on the first two relays only", () => {
    const deployment = deploymentOf("mainnet", { ...keys("mainnet"), relays: 3 });
    const steps = stepsOf(deployment);
    // After the node's step (only node_exporter, a files step, may follow it).
    expect(steps.core!.slice(steps.core!.indexOf(MITHRIL_SIGNER_FEATURE) + 1)).toEqual(["node-exporter"]);
    expect(steps.core!.indexOf(MITHRIL_SIGNER_FEATURE)).toBeGreaterThan(steps.core!.indexOf("node"));
    expect(steps["relay-1"]).toContain(MITHRIL_SIGNER_FEATURE);
    expect(steps["relay-2"]).toContain(MITHRIL_SIGNER_FEATURE);
    expect(steps["relay-3"]).not.toContain(MITHRIL_SIGNER_FEATURE);
    const keysStep = deployment.hosts[0]!.steps.find((s) => s.name === "keys")!;
    expect(keysStep.delivery.apply).toEqual([...KEYS_APPLY_WITH_SIGNER]);
    expect(KEYS_APPLY_WITH_SIGNER[0]).toBe(RELOAD_NODE);
  });

  it.each([
    ["auto on a testnet", "preview", { ...keys("preview") }],
    ["auto on mainnet without hot keys", "mainnet", {}],
    ["false on a forging mainnet pool", "mainnet", { ...keys("mainnet"), mithrilSigner: "false" }],
  ] as const)("%s: no signer, no proxy, the keys step only reloads the node", (_, network, values) => {
    const deployment = deploymentOf(network, values);
    for (const host of deployment.hosts) expect(host.steps.map((s) => s.name)).not.toContain(MITHRIL_SIGNER_FEATURE);
    const keysStep = deployment.hosts[0]!.steps.find((s) => s.name === "keys");
    if (keysStep) expect(keysStep.delivery.apply).toEqual([RELOAD_NODE]);
  });

  it("true on a testnet runs it there too", () => {
    const steps = stepsOf(deploymentOf("preview", { ...keys("preview"), mithrilSigner: "true" }));
    expect(steps.core).toContain(MITHRIL_SIGNER_FEATURE);
    expect(steps["relay-1"]).toContain(MITHRIL_SIGNER_FEATURE);
  });

  it.each([
    ["true without hot keys", { mithrilSigner: "true" }, /stakepool:mithrilSigner: is true, but the pool has no hot keys/],
    ["a word that is not auto, true or false", { mithrilSigner: "yes" }, /stakepool:mithrilSigner: must be "auto", "true" or "false"/],
  ])("%s is refused before anything is created", (_, values, message) => {
    expect(() => deploymentOf("mainnet", values)).toThrow(ConfigurationError);
    expect(() => deploymentOf("mainnet", values)).toThrow(message);
  });

  it("an unpinned Mithril release on mainnet: pulumi up refuses it, naming the signer", () => {
    expect(() => loaded("mainnet", { ...keys("mainnet"), nodeSha256: PIN.nodeSha256, mithrilBootstrap: false }, true)).toThrow(/stakepool:mithrilSha256: is empty, so mithril-signer 2630\.0 cannot be verified[\s\S]*stakepool:mithrilSigner false/);
  });
});

describe("both walls admit the proxy port from the core only, on the proxy relays only", () => {
  const pool = loaded("mainnet", { ...PIN, ...keys("mainnet"), relays: 3 });
  const { model } = pool;
  const policy = firewallPolicy(model);

  it("the cloud wall: one relay-group rule, source the core's /32", () => {
    const proxy = policy.relay.filter((r) => r.port === MITHRIL_PROXY_PORT);
    expect(proxy).toHaveLength(1);
    expect(proxy[0]!.source).toEqual({ kind: "host", host: "core", cidr: `${model.core.privateIp}/32` });
    expect(policy.core.some((r) => r.port === MITHRIL_PROXY_PORT)).toBe(false);
  });

  it.each([
    ["relay-1", true],
    ["relay-2", true],
    ["relay-3", false],
    ["core", false],
  ])("the host wall of %s admits it: %s", (name, admitted) => {
    const host = model.hosts.find((h) => h.name === name)!;
    expect(hostRules(policy, host).some((r) => r.port === MITHRIL_PROXY_PORT)).toBe(admitted);
    const ruleset = renderNftables(model, host);
    const accepts = ruleset.split("\n").filter((l) => l.includes(`tcp dport ${MITHRIL_PROXY_PORT} `));
    expect(accepts).toEqual(admitted ? [expect.stringContaining(`ip saddr ${model.core.privateIp}/32 tcp dport ${MITHRIL_PROXY_PORT} accept`)] : []);
  });

  it("without a signer no host admits the port", () => {
    const off = loaded("mainnet", { ...PIN, ...keys("mainnet"), mithrilSigner: "false" }).model;
    for (const host of off.hosts) expect(renderNftables(off, host)).not.toContain(`dport ${MITHRIL_PROXY_PORT}`);
  });
});

describe("a KES rotation touches the keys step alone", () => {
  it("new certificate: only core/keys changes; its commands reload the node, then restart the signer", () => {
    const before = deploymentOf("mainnet", keys("mainnet", 0, 1));
    const after = deploymentOf("mainnet", keys("mainnet", 1, 0));
    const changed: string[] = [];
    for (const host of after.hosts) {
      for (const step of host.steps) {
        const old = before.hosts.find((h) => h.host.name === host.host.name)!.steps.find((s) => s.name === step.name)!;
        if (JSON.stringify(old.delivery) !== JSON.stringify(step.delivery)) changed.push(`${host.host.name}/${step.name}`);
      }
    }
    expect(changed).toEqual(["core/keys"]);
    expect(after.hosts[0]!.steps.find((s) => s.name === "keys")!.delivery.apply).toEqual([...KEYS_APPLY_WITH_SIGNER]);
  });
});

describe("the planned pool with a signer (preview, mithrilSigner true)", () => {
  let files: PlanFiles;
  beforeAll(async () => {
    files = await planWith("preview", config("preview", { ...keys("preview"), mithrilSigner: "true", relays: 2 }), NOW.toISOString());
  }, 120_000);

  it("the relays' security group admits the proxy port from the core's /32 only; the core's admits nothing new", () => {
    const rules = resourcesOf(files).filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    const hosts = JSON.parse(files["hosts.json"]!) as Array<Record<string, string>>;
    const core = hosts.find((h) => h.role === "core")!;
    const proxy = rules.filter((r) => r.inputs.fromPort === MITHRIL_PROXY_PORT);
    expect(proxy.map((r) => [r.inputs.securityGroupId, r.inputs.cidrIpv4, r.inputs.toPort])).toEqual([["<id of pool-sg-relay>", `${core.privateIp}/32`, MITHRIL_PROXY_PORT]]);
  });

  it("the signer and the proxies are commands after each host's node step; the plan says what the signer reaches", () => {
    const commands = resourcesOf(files).filter((r) => r.type === "command:remote:Command").map((r) => r.name);
    expect(commands).toEqual(expect.arrayContaining(["pool-core-mithril-signer", "pool-relay-1-mithril-signer", "pool-relay-2-mithril-signer"]));
    const plan = files["plan.md"]!;
    const section = plan.slice(plan.indexOf("## Mithril signer"), plan.indexOf("## What reaches the hosts"));
    expect(section).toContain("aggregator.pre-release-preview.api.mithril.network:443");
    expect(section).toMatch(/forward proxy on relay-1 \(`http:\/\/10\.\d+\.\d+\.\d+:3132`\); relay-2 runs a standby proxy \(mithril-signer takes one endpoint, and the kit does not switch it by itself\)/);
    expect(plan).toMatch(/\| relay-1, relay-2 \| 3132\/tcp \| Mithril signer's proxy \| core \(10\.\d+\.\d+\.\d+\/32\) \|/);
  });
});

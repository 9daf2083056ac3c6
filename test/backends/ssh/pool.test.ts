/**
 * A pool on the operator's own servers: the same hosts at the same addresses get the same topologies,
 * host firewalls and node units as on AWS (the backend decides where hosts are, never what runs on
 * them); the program creates no cloud resource, checks each server before delivering to it, and
 * connects only with the declared host keys, the core through relay-1.
 */
import { describe, expect, it } from "vitest";
import { renderNftables } from "../../../components/firewall/nftables";
import { loadPool, type PoolPlan } from "../../../components/program/load";
import { stepOf } from "../../helpers/model";
import { rawConfig, type ConfigValues } from "../../helpers/config";
import { planWith, type ResourceEntry } from "../../helpers/plan";
import { GOOD } from "./servers";
import { sshConnection } from "../../../components/backends/ssh/ssh-pool";

const NOW = new Date("2026-11-26T00:00:00Z");
const load = (raw: ReturnType<typeof rawConfig>): PoolPlan => loadPool(raw, "pool", { plan: true, baseDir: process.cwd(), now: NOW });
const sameIdentity: ConfigValues = { metadata: { name: "Same", ticker: "SAME", description: "d", homepage: "https://mypool.io" }, metadataUrl: "https://mypool.io/p.json" };

/** An AWS pool, and the same pool on own servers at the AWS pool's private addresses. */
function twins(): { aws: PoolPlan; ssh: PoolPlan } {
  const aws = load(rawConfig("preview", sameIdentity));
  // Relays connected to at public addresses, reaching each other at the AWS pool's private ones.
  const servers = aws.model.hosts.map((h, i) => {
    if (h.role === "monitor") {
      // The monitoring host: reached like the core, its metrics on its root disk.
      const { dataDevice: _device, ...core } = GOOD[0]!;
      return { ...core, name: h.name, role: h.role, address: h.privateIp, memoryGiB: 2, dataDiskGiB: 20 };
    }
    return {
      ...GOOD[Math.min(i, GOOD.length - 1)]!,
      name: h.name,
      role: h.role,
      ...(h.role === "relay" ? { address: `${i}.2.3.4`, privateAddress: h.privateIp, publicAddress: undefined, sshPort: 22 } : { address: h.privateIp }),
    };
  });
  // Monitoring on both, as on AWS by default; own servers send email through a mail relay.
  const alerts = { monitoring: true, alertEmail: "ops@example.com", alertSmtpHost: "smtp.mypool.io:587", alertSmtpFrom: "pool@mypool.io" };
  const ssh = load(rawConfig("preview", { ...sameIdentity, ...alerts, backend: "ssh", servers, sshPublicKey: "" }, ["aws:region"]));
  return { aws, ssh };
}

describe("the same pool on AWS and on own servers", () => {
  const { aws, ssh } = twins();

  it("has the same hosts at the same addresses", () => {
    expect(ssh.model.hosts.map((h) => [h.name, h.role, h.privateIp])).toEqual(aws.model.hosts.map((h) => [h.name, h.role, h.privateIp]));
  });

  it("renders the same topologies, node units and host firewalls", () => {
    for (const host of aws.model.hosts) {
      const other = ssh.model.hosts.find((h) => h.name === host.name)!;
      for (const feature of ["topology", "node"]) {
        const files = (pool: PoolPlan) => stepOf(pool, host.name, feature)?.delivery.files.map((f) => [f.path, f.content]);
        expect(files(ssh), `${host.name} ${feature}`).toEqual(files(aws));
      }
      expect(renderNftables(ssh.model, other), host.name).toBe(renderNftables(aws.model, host));
    }
  });

  it("differs where the servers differ: the chain database's place, the login's keys, time and the admin-tag sync", () => {
    const env = (pool: PoolPlan) => stepOf(pool, "core", "node-setup")!.delivery.files.find((f) => f.path.endsWith("node.env"))!.content;
    expect(env(aws)).toMatch(/^DATA_VOLUME_TAG=/m);
    expect(env(ssh)).toMatch(/^DATA_DEVICE=\/dev\/disk\/by-id\/nvme-SSD_0001$/m);
    expect(env(ssh)).not.toMatch(/IMDS|DATA_VOLUME/);
    const paths = (pool: PoolPlan, feature: string) => stepOf(pool, "relay-1", feature)!.delivery.files.map((f) => f.path);
    expect(paths(aws, "system")).toContain("/home/ubuntu/.ssh/authorized_keys");
    expect(paths(ssh, "system").filter((p) => p.includes("authorized_keys") || p.includes("chrony"))).toEqual([]);
    expect(paths(aws, "firewall").some((p) => p.includes("admin-sync"))).toBe(true);
    expect(paths(ssh, "firewall").some((p) => p.includes("admin-sync"))).toBe(false);
  });

  it("lets only the login user in, with SSH on each server's own port", () => {
    const raw = rawConfig("preview", { backend: "ssh", servers: GOOD, sshPublicKey: "" }, ["aws:region"]);
    const pool = load(raw);
    const relay2 = pool.model.relays[1]!;
    expect(renderNftables(pool.model, relay2)).toMatch(/tcp dport 2222 accept comment "SSH from the admin networks/);
    expect(renderNftables(pool.model, relay2)).not.toMatch(/tcp dport 22 /);
    const sshd = stepOf(pool, "relay-2", "system")!.delivery.files.find((f) => f.path.endsWith("sshd_config.d/10-stakepool.conf"))!.content;
    expect(sshd).toMatch(/^AllowUsers pool$/m);
  });
});

describe("connections to own servers", () => {
  it("reach relays at their address and the core through the first relay, each hop with its declared key, user and port", () => {
    const pool = load(rawConfig("preview", { backend: "ssh", servers: GOOD, sshPublicKey: "" }, ["aws:region"]));
    if (pool.backend.kind !== "ssh") throw new Error("not an ssh pool");
    const [core, relay1, relay2] = pool.model.hosts;
    expect(sshConnection(pool.backend, relay2!, undefined)).toEqual({ host: "5.6.7.8", port: 2222, user: "pool", hostKey: GOOD[2]!.hostKey });
    expect(sshConnection(pool.backend, core!, relay1)).toEqual({
      host: "10.0.0.10",
      port: 22,
      user: "pool",
      hostKey: GOOD[0]!.hostKey,
      proxy: { host: "1.2.3.4", port: 22, user: "pool", hostKey: GOOD[1]!.hostKey },
    });
  });
});

describe("the program on own servers (under Pulumi mocks)", () => {
  it("creates no cloud resource; checks each server before delivering to it", async () => {
    const raw = rawConfig("preview", { backend: "ssh", servers: GOOD, sshPublicKey: "", metadataUrl: "https://mypool.io/p.json", metadata: sameIdentity.metadata! }, ["aws:region"]);
    const files = await planWith("pool", raw);
    const resources = JSON.parse(files["resources.json"]!) as ResourceEntry[];
    expect(resources.filter((r) => !/^(pulumi:pulumi:Stack|stakepool:ssh:SshPool|command:remote:Command)$/.test(r.type))).toEqual([]);
    const commands = resources.filter((r) => r.type === "command:remote:Command");
    expect(commands.filter((r) => r.name.endsWith("-up")).map((r) => r.name).sort()).toEqual(["pool-core-up", "pool-relay-1-up", "pool-relay-2-up"]);
    // Every delivery waits for its server's check.
    for (const c of commands.filter((r) => !r.name.endsWith("-up"))) {
      const host = /^pool-(core|relay-\d+)-/.exec(c.name)![1]!;
      expect((c.options?.dependsOn as string[] | undefined) ?? [], c.name).toEqual(expect.arrayContaining([expect.stringContaining(`pool-${host}-up`)]));
    }
    expect(Object.keys(files).filter((f) => f.endsWith("cloud-init.yaml"))).toEqual([]);
    expect(files["plan.md"]).toMatch(/--single-host-pool-relay relay2\.mypool\.io --pool-relay-port 3001/);
    expect(files["plan.md"]).toMatch(/--pool-relay-ipv4 1\.2\.3\.4 --pool-relay-port 3001/);
  }, 120_000);
});

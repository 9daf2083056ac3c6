/**
 * The pool's wire: network namespaces on this machine, nothing in its own namespace, no uplink.
 *
 *   <p>-wire      a bridge (br0) and one tap per guest; the guests' QEMU processes run here.
 *   <p>-gw        "the VPC router and the cloud's services", one veth on the bridge:
 *                 10.30.0.1/16 (the VPC router's address on AWS: the subnet's .1) and 203.0.113.1/24,
 *                 198.51.100.1/24 (the admin's and the outsider's routers), IPv4 forwarding between them;
 *                 169.254.169.254 (IMDSv2), 192.0.2.80 (stands in for github.com's release downloads),
 *                 192.0.2.44 (the Mithril aggregator) and 192.0.2.99 (the operator's alert endpoints)
 *                 as local addresses, served by e2e/services.ts.
 *   <p>-admin     the operator: 203.0.113.7/24 (the pool's adminCidrs), default route via the gw.
 *   <p>-outsider  anyone on the internet: 198.51.100.9/24, default route via the gw.
 *
 * Guests use the pool's own static private addresses from the model (10.30.x.y) with the VPC's /16 on
 * the link and the gw as default route, as on AWS; a relay needs no second "public" address: on AWS an
 * Elastic IP is translated to the private address before the packet reaches the server, so the server's
 * firewall sees what it sees here (the peer's address, its own private address). IPv6: one ULA prefix,
 * fd5a:fe00:e2e::/64, on the link for every host and namespace (no router), so every IPv6 probe reaches
 * the target's firewall.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export const VPC_ROUTER = "10.30.0.1";
export const ULA_PREFIX = "fd5a:fe00:e2e::";
export const IMDS_ADDRESS = "169.254.169.254";
export const RELEASES_ADDRESS = "192.0.2.80";
/** The stand-in Mithril aggregator (HTTPS), reached from the core only through the relay's proxy. */
export const AGGREGATOR_ADDRESS = "192.0.2.44";
/** The operator's alert webhook and heartbeat service (HTTPS). */
export const HOOKS_ADDRESS = "192.0.2.99";

export interface Party {
  readonly name: "admin" | "outsider";
  readonly ipv4: string;
  readonly prefix: number;
  readonly router: string;
  readonly ipv6: string;
}

export const ADMIN: Party = { name: "admin", ipv4: "203.0.113.7", prefix: 24, router: "203.0.113.1", ipv6: `${ULA_PREFIX}a7` };
export const OUTSIDER: Party = { name: "outsider", ipv4: "198.51.100.9", prefix: 24, router: "198.51.100.1", ipv6: `${ULA_PREFIX}99` };

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(argv: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(argv[0]!, argv.slice(1), { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 0 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 124) : 0;
      resolve({ code, stdout, stderr });
    });
    // A command that exits without reading its input (most do) must not fail the write.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.input ?? "");
  });
}

export async function must(argv: readonly string[], input?: string): Promise<string> {
  const result = await run(argv, input === undefined ? {} : { input });
  if (result.code !== 0) throw new Error(`${argv.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

export class Wire {
  readonly prefix = `spe2e-${process.pid.toString(36)}${randomBytes(2).toString("hex")}`;
  private readonly created: string[] = [];
  private readonly onExit = () => this.destroySync();

  ns(name: "wire" | "gw" | "admin" | "outsider"): string {
    return `${this.prefix}-${name}`;
  }

  private async addNamespace(name: string): Promise<void> {
    this.created.push(name);
    await must(["ip", "netns", "add", name]);
    await must(["ip", "-n", name, "link", "set", "lo", "up"]);
  }

  private async plug(ns: string, port: string): Promise<void> {
    await must(["ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", port, "netns", this.ns("wire")]);
    await must(["ip", "-n", this.ns("wire"), "link", "set", port, "master", "br0", "up"]);
    await must(["ip", "-n", ns, "link", "set", "eth0", "up"]);
  }

  /** One tap per guest name; a guest's QEMU opens it inside the wire namespace. */
  async start(taps: readonly string[]): Promise<void> {
    process.once("exit", this.onExit);
    const wire = this.ns("wire");
    await this.addNamespace(wire);
    await must(["ip", "-n", wire, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0"]);
    await must(["ip", "-n", wire, "link", "set", "br0", "up"]);
    for (const tap of taps) {
      await must(["ip", "-n", wire, "tuntap", "add", tap, "mode", "tap"]);
      await must(["ip", "-n", wire, "link", "set", tap, "master", "br0", "up"]);
    }

    const gw = this.ns("gw");
    await this.addNamespace(gw);
    await this.plug(gw, "p-gw");
    for (const address of [`${VPC_ROUTER}/16`, `${ADMIN.router}/${ADMIN.prefix}`, `${OUTSIDER.router}/${OUTSIDER.prefix}`]) {
      await must(["ip", "-n", gw, "addr", "add", address, "dev", "eth0"]);
    }
    await must(["ip", "-n", gw, "addr", "add", `${ULA_PREFIX}1/64`, "dev", "eth0", "nodad"]);
    for (const address of [IMDS_ADDRESS, RELEASES_ADDRESS, AGGREGATOR_ADDRESS, HOOKS_ADDRESS]) await must(["ip", "-n", gw, "addr", "add", `${address}/32`, "dev", "lo"]);
    await must(["ip", "netns", "exec", gw, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.eth0.send_redirects=0"]);

    for (const party of [ADMIN, OUTSIDER]) {
      const ns = this.ns(party.name);
      await this.addNamespace(ns);
      await this.plug(ns, `p-${party.name}`);
      await must(["ip", "-n", ns, "addr", "add", `${party.ipv4}/${party.prefix}`, "dev", "eth0"]);
      await must(["ip", "-n", ns, "addr", "add", `${party.ipv6}/64`, "dev", "eth0", "nodad"]);
      await must(["ip", "-n", ns, "route", "add", "default", "via", party.router]);
    }
  }

  /** Runs a command inside one of the wire's namespaces. */
  exec(ns: "wire" | "gw" | "admin" | "outsider", argv: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
    return run(["ip", "netns", "exec", this.ns(ns), ...argv], options);
  }

  async destroy(): Promise<void> {
    process.removeListener("exit", this.onExit);
    await Promise.all(this.created.splice(0).reverse().map((ns) => run(["ip", "netns", "delete", ns])));
  }

  private destroySync(): void {
    for (const ns of this.created.splice(0)) {
      try {
        execFileSync("ip", ["netns", "delete", ns], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
  }
}

/**
 * `npm run --silent status -- (--stack <name> | --network <mainnet|preprod|preview>)
 *    [--jump <[user@]first relay> --monitor <monitoring host's private IP> | --prometheus <url>] [--json]`
 *
 * Prints, per host, the figures of the pool dashboard (height, tip lag, sync, peers, KES, blocks, missed
 * checks, memory, disk, clock) and what is firing, read from the monitoring host's Prometheus. It opens
 * the SSH route itself (`ssh -J <relay> -L <free port>:127.0.0.1:9090 <user>@<monitor>`, the same way in
 * as Grafana's tunnel) and closes it after; `--prometheus` reads a Prometheus already reachable (a tunnel
 * of your own). `--stack` takes the network, the logins and the monitoring host from the stack file, and on
 * own servers the first relay's address too; on AWS give `--jump <relay-1's Elastic IP>` (its address
 * exists only once deployed: `pulumi stack output hosts`).
 * Exit status: 0 printed, 1 Prometheus unreachable or refusing, 2 usage.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { ADMIN_USER } from "../components/node/paths";
import { LOOPBACK, PROMETHEUS_PORT } from "../components/features/monitoring/ports";
import { collectStatus, renderStatus, type Sample } from "../components/features/monitoring/status";
import { monitorRoute, tunnelArgs, type MonitorRoute } from "../components/features/monitoring/access";
import { isNetworkName, NETWORK_NAMES, NETWORKS, SSH_PORT, type NetworkProfile } from "../components/networks/networks";
import { loadPool, type PoolPlan } from "../components/program/load";
import { readProject, readStackConfig } from "./plan/stack-file";

const USAGE =
  "usage: npm run --silent status -- (--stack <name> | --network <mainnet|preprod|preview>) " +
  "[--jump <[user@]relay> --monitor <private IP> | --prometheus <url>] [--json]\n";

class Failure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const ROOT = path.resolve(__dirname, "..");
const HOST = /^[A-Za-z0-9._-]+@[A-Za-z0-9.:-]+$|^[A-Za-z0-9.:-]+$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** The network, and with `--stack` the route to the monitoring host as the stack declares it. */
function poolOf(values: { stack?: string; network?: string }): { network: NetworkProfile; route: MonitorRoute | undefined; stack: boolean } {
  if (values.network !== undefined) {
    if (values.stack !== undefined) throw new Failure(`--stack or --network, not both\n${USAGE.trimEnd()}`, 2);
    if (!isNetworkName(values.network)) throw new Failure(`--network must be one of ${NETWORK_NAMES.join(", ")}`, 2);
    return { network: NETWORKS[values.network], route: undefined, stack: false };
  }
  if (values.stack === undefined) throw new Failure(`give --stack or --network\n${USAGE.trimEnd()}`, 2);
  let pool: PoolPlan;
  try {
    pool = loadPool(readStackConfig(readProject(ROOT), values.stack), values.stack, { plan: true, baseDir: ROOT, now: new Date() });
  } catch (error) {
    throw new Failure(error instanceof Error ? error.message : String(error), 2);
  }
  const relay = pool.model.relays[0]!;
  const relayAddress = pool.backend.kind === "ssh" ? pool.backend.servers.get(relay.name)!.address : undefined;
  return { network: pool.model.network, route: monitorRoute(pool.model, relayAddress), stack: true };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function queryFunction(base: string): (expr: string) => Promise<Sample[]> {
  return async (expr) => {
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
    } catch (error) {
      throw new Failure(`Prometheus at ${base} stopped answering: ${error instanceof Error ? error.message : String(error)}`, 1);
    }
    const body = (await response.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== "success" || !body.data) throw new Failure(`Prometheus refused ${expr}: ${body.error ?? response.status}`, 1);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
}

async function reachable(base: string, deadline: number, ssh: ChildProcess | undefined): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return;
    } catch {
      // not yet
    }
    if (ssh !== undefined && ssh.exitCode !== null) throw new Failure(`ssh exited (${ssh.exitCode}) before the tunnel opened`, 1);
    if (Date.now() > deadline) throw new Failure(`Prometheus did not answer at ${base}`, 1);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let values: { stack?: string; network?: string; jump?: string; monitor?: string; prometheus?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        network: { type: "string" },
        jump: { type: "string" },
        monitor: { type: "string" },
        prometheus: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Failure(`${error instanceof Error ? error.message : String(error)}\n${USAGE.trimEnd()}`, 2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { network, route, stack } = poolOf(values);
  let ssh: ChildProcess | undefined;
  let base: string;
  if (values.prometheus !== undefined) {
    if (values.jump !== undefined || values.monitor !== undefined) throw new Failure(`--prometheus or --jump/--monitor, not both\n${USAGE.trimEnd()}`, 2);
    if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(values.prometheus)) throw new Failure("--prometheus must be an http(s) URL", 2);
    base = values.prometheus.replace(/\/$/, "");
  } else {
    if (stack && route === undefined) throw new Failure(`stack ${values.stack!} has no monitoring host (stakepool:monitoring is false)`, 2);
    const jumpText = values.jump ?? route?.jump.host;
    if (jumpText === undefined) {
      throw new Failure(
        route === undefined
          ? `give --jump and --monitor (or --prometheus)\n${USAGE.trimEnd()}`
          : "give --jump <relay-1's public IP>: on AWS it is an Elastic IP known once deployed (pulumi stack output hosts)",
        2,
      );
    }
    if (!HOST.test(jumpText)) throw new Failure("--jump must be [user@]host", 2);
    const monitorIp = values.monitor ?? route?.monitor.host;
    if (monitorIp === undefined) throw new Failure(`give --monitor <the monitoring host's private IP>\n${USAGE.trimEnd()}`, 2);
    if (!IPV4.test(monitorIp)) throw new Failure("--monitor must be the monitoring host's private IPv4 address", 2);
    const [jumpUser, jumpHost] = jumpText.includes("@") ? (jumpText.split("@") as [string, string]) : [route?.jump.user ?? ADMIN_USER, jumpText];
    const port = await freePort();
    const args = tunnelArgs(
      { user: jumpUser, host: jumpHost, port: route?.jump.port ?? SSH_PORT },
      { user: route?.monitor.user ?? ADMIN_USER, host: monitorIp, port: route?.monitor.port ?? SSH_PORT },
      port,
      PROMETHEUS_PORT,
    );
    ssh = spawn("ssh", ["-o", "ExitOnForwardFailure=yes", ...args], { stdio: ["ignore", "ignore", "inherit"] });
    base = `http://${LOOPBACK}:${port}`;
  }
  try {
    await reachable(base, Date.now() + 30_000, ssh);
    const report = await collectStatus(queryFunction(base), network);
    if (values.json) {
      const rows = Object.fromEntries(report.hosts.map((h) => [h, Object.fromEntries([...report.values].map(([title, byHost]) => [title, byHost.get(h) ?? null]))]));
      process.stdout.write(`${JSON.stringify({ network: network.name, hosts: rows, firing: report.firing }, null, 2)}\n`);
    } else {
      process.stdout.write(renderStatus(report));
    }
  } finally {
    ssh?.kill();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof Failure) {
    process.stderr.write(`status: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (error instanceof Error && error.name === "ConfigurationError") {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
});

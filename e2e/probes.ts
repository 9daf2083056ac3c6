/**
 * Who reaches what: TCP connections from the outsider, the admin and every guest to every guest's
 * addresses (IPv4 and IPv6) on SSH, the node's port, the metrics ports (the node's, node_exporter's) and
 * the Mithril proxy's port, judged against the pool's intended policy (DESIGN.md,
 * components/firewall/policy.ts): the core takes 3001 and SSH from its relays only; a relay takes 3001
 * from anyone and SSH from the admin networks only; the monitoring host takes SSH from the relays only;
 * the metrics ports answer the monitoring host alone (no one without one); a proxy relay's 3132 answers
 * the core alone. SSH is the host's own port (an own server may move sshd off 22; 22 is then shut like
 * any other port). The kit's pool is IPv4-only (an AWS VPC without IPv6), so nothing is open to another
 * host over IPv6.
 *
 * So that every probe meets the firewall and not an empty port, a responder listens during the probes
 * where nothing of the kit does (the node binds IPv4 only, its metrics one address; node_exporter and the
 * proxy exist only with monitoring and a signer): on the node's port over IPv6 and on the metrics,
 * exporter and proxy ports at the host's own addresses. A closed port must then time out (dropped by the
 * host firewall), never be refused (reached the TCP stack).
 */
import { NODE_EXPORTER_PORT, METRICS_PORT, MITHRIL_PROXY_PORT, NODE_PORT, SSH_PORT } from "../components/networks/networks";

export type Outcome = "open" | "refused" | "timeout" | `error ${string}`;

export interface Target {
  readonly host: string;
  readonly family: "ipv4" | "ipv6";
  readonly address: string;
  readonly port: number;
}

export interface ProbeResult extends Target {
  readonly from: string;
  readonly outcome: Outcome;
}

/** Ports that answer one other host at most: the scrapes (the monitoring host) and the proxy (the core). */
export const GUARDED_PORTS = [METRICS_PORT, NODE_EXPORTER_PORT, MITHRIL_PROXY_PORT] as const;

/**
 * The ports probed on a host: SSH (22, and the host's own SSH port when sshd listens elsewhere: 22 must
 * then be shut like any other port), the node's port and the guarded ports.
 */
export function probedPorts(sshPort: number): number[] {
  return [...new Set([SSH_PORT, sshPort, NODE_PORT, ...GUARDED_PORTS])];
}

/** The probe: `node -e PROBE_SOURCE '<targets JSON>' <timeout ms>` (or the source in a file) prints the outcomes as JSON (Node 18+). */
export const PROBE_SOURCE = String.raw`
const net = require("net");
// The last two arguments, whether run as "node -e SOURCE ..." or as "node FILE ...".
const [targetsJson, timeout] = process.argv.slice(-2);
const targets = JSON.parse(targetsJson);
const timeoutMs = Number(timeout);
Promise.all(targets.map((t) => new Promise((resolve) => {
  const socket = net.connect({ host: t.address, port: t.port });
  const done = (outcome) => { clearTimeout(timer); socket.destroy(); resolve({ ...t, outcome }); };
  const timer = setTimeout(() => done("timeout"), timeoutMs);
  socket.once("connect", () => done("open"));
  socket.once("error", (e) => done(e.code === "ECONNREFUSED" ? "refused" : "error " + e.code));
}))).then((results) => process.stdout.write(JSON.stringify(results)));
`;

/** A responder for the probes (python3, as root, via systemd-run): listens where the node does not. */
export function responderScript(ipv4: string, ipv6: string): string {
  return String.raw`
import socket, threading
def serve(family, host, port, v6only=False):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, port))
    s.listen(64)
    def loop():
        while True:
            c, _ = s.accept()
            c.close()
    threading.Thread(target=loop, daemon=True).start()
# 22 on both families where sshd listens on another port (elsewhere sshd holds it and the bind fails).
# The node's port over IPv4 too where no node runs (the monitoring host), so that its own probe meets a listener.
places = [(socket.AF_INET6, "::", ${NODE_PORT}, True), (socket.AF_INET, "${ipv4}", ${NODE_PORT}, False), (socket.AF_INET6, "::", ${SSH_PORT}, False)]
for port in (${GUARDED_PORTS.join(", ")}):
    places += [(socket.AF_INET, "${ipv4}", port, False), (socket.AF_INET6, "${ipv6}", port, True)]
for family, host, port, v6only in places:
    try:
        serve(family, host, port, v6only)
    except OSError:
        pass  # the kit's own listener is there (the node, node_exporter, the proxy): the probe meets it instead
threading.Event().wait()
`;
}

export interface Intent {
  readonly core: string;
  readonly relays: readonly string[];
  readonly admin: string;
  /** Each host's SSH port (22 unless its server says otherwise). */
  readonly sshPorts: ReadonlyMap<string, number>;
  /** The monitoring host, when the pool has one. */
  readonly monitor?: string;
  /** The relays running the Mithril signer's proxy. */
  readonly proxies?: readonly string[];
}

/** Whether `from` may reach `target` under the pool's intended policy. A host always reaches itself (loopback). */
export function intended(intent: Intent, from: string, target: Target): boolean {
  if (from === target.host) return true;
  if (target.family === "ipv6") return false;
  if (target.port === METRICS_PORT || target.port === NODE_EXPORTER_PORT) return intent.monitor !== undefined && from === intent.monitor;
  if (target.port === MITHRIL_PROXY_PORT) return (intent.proxies ?? []).includes(target.host) && from === intent.core;
  const ssh = target.port === (intent.sshPorts.get(target.host) ?? SSH_PORT);
  if (target.host === intent.monitor) return ssh && intent.relays.includes(from);
  if (target.port !== NODE_PORT && !ssh) return false;
  if (target.host === intent.core) return intent.relays.includes(from);
  if (target.port === NODE_PORT) return true;
  return from === intent.admin;
}

/** Where a probe went wrong: an intended-open port that did not open, or a closed one not dropped. */
export function mismatch(intent: Intent, result: ProbeResult): string | undefined {
  const open = intended(intent, result.from, result);
  if (open && result.outcome === "open") return undefined;
  if (!open && result.outcome === "timeout") return undefined;
  const where = `${result.from} → ${result.host} ${result.family === "ipv6" ? `[${result.address}]` : result.address}:${result.port}`;
  return `${where}: ${result.outcome}, expected ${open ? "open" : "dropped (timeout)"}`;
}

/**
 * Who reaches what: TCP connections from the outsider, the admin and every guest to every guest's
 * addresses (IPv4 and IPv6) on SSH, the node's port and the metrics port, judged against the pool's
 * intended policy (DESIGN.md, components/firewall/policy.ts): the core takes 3001 and SSH from its relays
 * only; a relay takes 3001 from anyone and SSH from the admin networks only; metrics never leave a host.
 * SSH is the host's own port (an own server may move sshd off 22; 22 is then shut like any other port).
 * The kit's pool is IPv4-only (an AWS VPC without IPv6), so nothing is open to another host over IPv6.
 *
 * So that every probe meets the firewall and not an empty port, a responder listens during the probes
 * where the node does not (the node binds IPv4 only, and its metrics 127.0.0.1 only): on the node's port
 * over IPv6 and on the metrics port at the host's own addresses. A closed port must then time out
 * (dropped by the host firewall), never be refused (reached the TCP stack).
 */
import { METRICS_PORT, NODE_PORT, SSH_PORT } from "../components/networks/networks";

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

/**
 * The ports probed on a host: SSH (22, and the host's own SSH port when sshd listens elsewhere: 22 must
 * then be shut like any other port), the node's port and the metrics port.
 */
export function probedPorts(sshPort: number): number[] {
  return [...new Set([SSH_PORT, sshPort, NODE_PORT, METRICS_PORT])];
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
for family, host, port, v6only in ((socket.AF_INET6, "::", ${NODE_PORT}, True), (socket.AF_INET, "${ipv4}", ${METRICS_PORT}, False), (socket.AF_INET6, "${ipv6}", ${METRICS_PORT}, True), (socket.AF_INET6, "::", ${SSH_PORT}, False)):
    try:
        serve(family, host, port, v6only)
    except OSError:
        pass  # the node itself listens there: the probe meets it instead
threading.Event().wait()
`;
}

export interface Intent {
  readonly core: string;
  readonly relays: readonly string[];
  readonly admin: string;
  /** Each host's SSH port (22 unless its server says otherwise). */
  readonly sshPorts: ReadonlyMap<string, number>;
}

/** Whether `from` may reach `target` under the pool's intended policy. A host always reaches itself (loopback). */
export function intended(intent: Intent, from: string, target: Target): boolean {
  if (from === target.host) return true;
  if (target.family === "ipv6") return false;
  if (target.port === METRICS_PORT) return false;
  if (target.port !== NODE_PORT && target.port !== (intent.sshPorts.get(target.host) ?? SSH_PORT)) return false;
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

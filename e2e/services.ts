/**
 * The cloud's services on the test wire, run inside the gw namespace (e2e/network.ts):
 *
 * - IMDSv2 at 169.254.169.254 the way EC2 answers it: `PUT /latest/api/token` with a TTL header gives a
 *   token; `GET /latest/meta-data/tags/instance/<key>` with that token gives the calling instance's tag
 *   (404 when it has none, 401 without a valid token). Instances are told apart by their source address
 *   (each guest has its own static private address), and a token works only for the instance it was
 *   issued to.
 * - Release downloads at 192.0.2.80, standing in for github.com: files under the releases folder, by
 *   path (e.g. /IntersectMBO/cardano-node/releases/download/<version>/<tarball>).
 *
 *   services.ts <state file>
 *
 * - HTTPS on 443 (with the box's certificate, e2e/tls.ts), by the address a request came to:
 *   - 192.0.2.80, the same release downloads (Grafana's, whose install script takes https only);
 *   - 192.0.2.44, a stand-in Mithril aggregator for the signer: GET <path>/epoch-settings gives the epoch,
 *     POST <path>/register-signer records the registration; each logged with the address it came from;
 *   - 192.0.2.99, the operator's alert endpoints: POST /alerts (Alertmanager's webhook) and POST
 *     /heartbeat (the dead-man service), each logged with the alert names it carried.
 *
 * The state file (JSON: { imds, tags: { <address>: { <key>: <value> } }, releasesDir, log, tls?, epoch })
 * is read at every request, so the harness can change it while the guests run. Every request is appended
 * to `log`.
 */
import { appendFileSync, createReadStream, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { AGGREGATOR_ADDRESS, HOOKS_ADDRESS, IMDS_ADDRESS, RELEASES_ADDRESS } from "./network";

export interface ServicesState {
  /** Whether IMDS answers at all: EC2 instances have it, an operator's own servers do not. */
  readonly imds: boolean;
  readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly releasesDir: string;
  readonly log: string;
  /** The box's server certificate and key (PEM files): HTTPS on 443 when given. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** The epoch the stand-in aggregator announces. */
  readonly epoch: number;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => resolve(text));
  });
}

/** The alert names in an Alertmanager webhook body (its `alerts[].labels.alertname`). */
function alertNames(text: string): string {
  try {
    const names = ((JSON.parse(text) as { alerts?: { labels?: { alertname?: string } }[] }).alerts ?? []).map((a) => a.labels?.alertname ?? "?");
    return [...new Set(names)].sort().join(",");
  } catch {
    return "unreadable";
  }
}

function main(stateFile: string): void {
  const tokens = new Map<string, string>();
  const handle = async (req: IncomingMessage, res: ServerResponse, scheme: "http" | "https"): Promise<void> => {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as ServicesState;
    const local = (req.socket.localAddress ?? "").replace(/^::ffff:/, "");
    const source = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const url = (req.url ?? "/").split("?")[0]!;
    const answer = (status: number, text: string, note = "", type = "text/plain") => {
      appendFileSync(state.log, `${new Date().toISOString()} ${source} ${req.method} ${scheme}://${local}${url} ${status}${note}\n`);
      res.writeHead(status, { "Content-Type": type });
      res.end(text);
    };
    if (scheme === "https" && local === AGGREGATOR_ADDRESS) {
      if (req.method === "GET" && url.endsWith("/epoch-settings")) return answer(200, JSON.stringify({ epoch: state.epoch }), ` epoch ${state.epoch}`, "application/json");
      if (req.method === "POST" && url.endsWith("/register-signer")) {
        const registration = await body(req);
        return answer(201, "", ` registered ${registration.replace(/\s+/g, "")}`);
      }
      return answer(404, "not found\n");
    }
    if (scheme === "https" && local === HOOKS_ADDRESS) {
      if (req.method === "POST" && (url === "/alerts" || url === "/heartbeat")) return answer(200, "ok\n", ` alerts=${alertNames(await body(req))}`);
      return answer(404, "not found\n");
    }
    if (local === IMDS_ADDRESS) {
      // Not a cloud server: nothing answers there (logged, so the box can tell whether anyone asked).
      if (!state.imds) return answer(404, "no instance metadata here\n");
      if (req.method === "PUT" && url === "/latest/api/token") {
        if (!req.headers["x-aws-ec2-metadata-token-ttl-seconds"]) return answer(400, "missing TTL\n");
        const token = randomBytes(16).toString("base64url");
        tokens.set(token, source);
        return answer(200, token);
      }
      const token = req.headers["x-aws-ec2-metadata-token"];
      if (typeof token !== "string" || tokens.get(token) !== source) return answer(401, "unauthorized\n");
      const tag = /^\/latest\/meta-data\/tags\/instance\/(.+)$/.exec(url);
      const tags = state.tags[source] ?? {};
      if (url === "/latest/meta-data/tags/instance" || url === "/latest/meta-data/tags/instance/") return answer(200, Object.keys(tags).sort().join("\n"));
      if (tag && Object.hasOwn(tags, decodeURIComponent(tag[1]!))) return answer(200, tags[decodeURIComponent(tag[1]!)]!);
      return answer(404, "not found\n");
    }
    if (local === RELEASES_ADDRESS && req.method === "GET") {
      const file = path.join(state.releasesDir, path.normalize(decodeURIComponent(url)).replace(/^(\.\.[/\\])+/, ""));
      if (!file.startsWith(state.releasesDir + path.sep)) return answer(403, "forbidden\n");
      try {
        const size = statSync(file).size;
        appendFileSync(state.log, `${new Date().toISOString()} ${source} GET ${scheme}://${local}${url} 200 ${size} bytes\n`);
        res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(size) });
        createReadStream(file).pipe(res);
        return;
      } catch {
        return answer(404, "not found\n");
      }
    }
    return answer(404, "not found\n");
  };
  const state = JSON.parse(readFileSync(stateFile, "utf8")) as ServicesState;
  const plain = createServer((req, res) => void handle(req, res, "http"));
  const servers: { server: { listen: (port: number, host: string, ready: () => void) => unknown }; port: number }[] = [{ server: plain, port: 80 }];
  if (state.tls) {
    const tls = createTlsServer({ cert: readFileSync(state.tls.certFile), key: readFileSync(state.tls.keyFile) }, (req, res) => void handle(req, res, "https"));
    servers.push({ server: tls, port: 443 });
  }
  let listening = 0;
  for (const { server, port } of servers) server.listen(port, "0.0.0.0", () => ++listening === servers.length && process.stdout.write("ready\n"));
}

if (require.main === module) main(process.argv[2] ?? "");

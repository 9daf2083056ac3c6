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
 * The state file (JSON: { imds, tags: { <address>: { <key>: <value> } }, releasesDir, log }) is read at every
 * request, so the harness can change it while the guests run. Every request is appended to `log`.
 */
import { appendFileSync, createReadStream, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { IMDS_ADDRESS, RELEASES_ADDRESS } from "./network";

export interface ServicesState {
  /** Whether IMDS answers at all: EC2 instances have it, an operator's own servers do not. */
  readonly imds: boolean;
  readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly releasesDir: string;
  readonly log: string;
}

function main(stateFile: string): void {
  const tokens = new Map<string, string>();
  const server = createServer((req, res) => {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as ServicesState;
    const local = (req.socket.localAddress ?? "").replace(/^::ffff:/, "");
    const source = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const url = (req.url ?? "/").split("?")[0]!;
    const answer = (status: number, body: string) => {
      appendFileSync(state.log, `${new Date().toISOString()} ${source} ${req.method} ${local}${url} ${status}\n`);
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(body);
    };
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
        appendFileSync(state.log, `${new Date().toISOString()} ${source} GET ${local}${url} 200 ${size} bytes\n`);
        res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(size) });
        createReadStream(file).pipe(res);
        return;
      } catch {
        return answer(404, "not found\n");
      }
    }
    return answer(404, "not found\n");
  });
  server.listen(80, "0.0.0.0", () => process.stdout.write("ready\n"));
}

if (require.main === module) main(process.argv[2] ?? "");

/**
 * A loopback HTTP server for tests that run real scripts: it serves release tarballs and instance
 * metadata on 127.0.0.1, records every request, and never reaches beyond the host.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Reply {
  readonly status?: number;
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (request: RecordedRequest) => Reply;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request so far, in order. */
  readonly requests: RecordedRequest[];
  /** Answers `method path` (exact path, no query) with a fixed reply or a handler; replaces an earlier one. */
  route(method: string, path: string, reply: Reply | Handler): void;
  /** The requests for one path. */
  requestsFor(path: string): RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 at a free port. Unrouted requests get 404. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const routes = new Map<string, Reply | Handler>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const recorded: RecordedRequest = { method: req.method ?? "GET", path, headers: req.headers };
    requests.push(recorded);
    req.resume();
    req.on("end", () => {
      const route = routes.get(`${recorded.method} ${path}`);
      const reply: Reply = route === undefined ? { status: 404, body: "not found\n" } : typeof route === "function" ? route(recorded) : route;
      const body = reply.body ?? "";
      res.writeHead(reply.status ?? 200, { "content-length": String(Buffer.byteLength(body)), ...reply.headers });
      res.end(recorded.method === "HEAD" ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, path, reply) {
      routes.set(`${method.toUpperCase()} ${path}`, reply);
    },
    requestsFor(path) {
      return requests.filter((r) => r.path === path);
    },
    close() {
      return new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

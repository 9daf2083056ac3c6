/**
 * A changed admin address never locks the operator out (issue 11). In network namespaces with the real
 * kernel: a relay's ruleset admits SSH from the old admin address only; the instance's tags (served by a
 * stand-in IMDSv2 in the relay's namespace) name the new one; the sync run on the relay admits the new
 * address and drops the old one, in one transaction. Unreadable or hostile tags change nothing. Where no
 * tags exist, the documented console command admits an address.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { adminRecoveryCommand, adminTags } from "../../components/firewall/admin-sync";
import { renderNftables } from "../../components/firewall/nftables";
import { NETNS_REQUIREMENTS, NetnsLab } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { host, poolModel } from "./model";

const SCRIPT = path.resolve(__dirname, "../../components/firewall/scripts/admin-sync.py");
const before = poolModel({ relays: 1, adminCidrs: ["203.0.113.7/32"] });
const after = poolModel({ relays: 1, adminCidrs: ["198.51.100.0/24"] });
const relay = host(before, "relay-1");
const lab = new NetnsLab("admin");

/** IMDSv2 as EC2 answers it (a token for a PUT with a TTL header; tags only with it), tags from a file. */
const IMDS_SOURCE = String.raw`
import http.server, json, sys
tags_file = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body):
        data = body.encode(); self.send_response(code); self.send_header("content-length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_PUT(self):
        ok = self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        self.reply(200 if ok else 400, "t0ken" if ok else "")
    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != "t0ken": return self.reply(401, "")
        tags = json.load(open(tags_file))
        prefix = "/latest/meta-data/tags/instance"
        if self.path == prefix: return self.reply(200, "\n".join(sorted(tags)))
        key = self.path[len(prefix) + 1:]
        self.reply(200, tags[key]) if self.path.startswith(prefix + "/") and key in tags else self.reply(404, "")
http.server.HTTPServer(("127.0.0.1", 18080), H).serve_forever()
`;

let imds: ChildProcess | undefined;
let tagsFile: string;

function setTags(tags: Record<string, string>): void {
  fs.writeFileSync(tagsFile, JSON.stringify(tags));
}

function sync() {
  return lab.exec("relay", ["python3", SCRIPT], undefined, {
    ...process.env,
    STAKEPOOL_IMDS_URL: "http://127.0.0.1:18080",
    STAKEPOOL_ADMIN_SYNC_STATE: path.join(lab.dir, "state.json"),
  });
}

async function ssh(from: string): Promise<string> {
  return (await (await lab.agent(from)).probe([{ address: relay.privateIp, port: 22 }], 800))[0]!.outcome;
}

describeWith({ ...NETNS_REQUIREMENTS, tools: [...NETNS_REQUIREMENTS.tools, "python3"] }, "the admin networks after the operator's address changed", () => {
  beforeAll(async () => {
    await lab.start([
      { name: "relay", ipv4: relay.privateIp },
      { name: "old-admin", ipv4: "203.0.113.7" },
      { name: "new-admin", ipv4: "198.51.100.9" },
      { name: "outsider", ipv4: "192.0.2.50" },
    ]);
    await lab.loadRuleset("relay", renderNftables(before, relay));
    await (await lab.agent("relay")).listen([22]);
    tagsFile = path.join(lab.dir, "tags.json");
    setTags(adminTags(before));
    imds = spawn("ip", ["netns", "exec", lab.namespace("relay"), "python3", "-c", IMDS_SOURCE, tagsFile], { stdio: "ignore" });
    for (let i = 0; i < 50 && (await lab.exec("relay", ["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 18080), 0.2)"])).code !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    imds?.kill();
    await lab.destroy();
  });

  it("before the tags change: the old address reaches SSH, the new one does not", async () => {
    expect((await sync()).code).toBe(0);
    expect(await ssh("old-admin")).toBe("open");
    expect(await ssh("new-admin")).toBe("timeout");
  });

  it("once the instance's tags name the new network, the relay admits it and drops the old one", async () => {
    setTags(adminTags(after));
    const result = await sync();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("admin networks now 198.51.100.0/24");
    expect(await ssh("new-admin")).toBe("open");
    expect(await ssh("old-admin")).toBe("timeout");
    expect(await ssh("outsider")).toBe("timeout");
    // A second run changes nothing and says nothing.
    const again = await sync();
    expect(again.code).toBe(0);
    expect(again.stderr).toBe("");
  });

  it("leaves the firewall as it is when the tags are unreadable, empty, or would admit a whole family", async () => {
    const admitted = await lab.must("relay", ["nft", "list", "set", "inet", "stakepool", "admin_ipv4"]);
    setTags({ "stakepool:admin-1": "0.0.0.0/0", "stakepool:admin-2": "not a network" });
    const hostile = await sync();
    expect(hostile.code).toBe(0);
    expect(hostile.stderr).toContain("would admit the whole IPv4 internet; ignored");
    setTags({});
    expect((await sync()).code).toBe(0);
    imds?.kill();
    const down = await sync();
    expect(down.code).toBe(0);
    expect(down.stderr).toContain("instance metadata did not answer");
    expect(await lab.must("relay", ["nft", "list", "set", "inet", "stakepool", "admin_ipv4"])).toBe(admitted);
    expect(await ssh("new-admin")).toBe("open");
  });

  it("without tags, the documented console command admits an address at once", async () => {
    expect(await ssh("outsider")).toBe("timeout");
    const command = adminRecoveryCommand("192.0.2.50/32");
    expect(command).toBe("sudo nft add element inet stakepool admin_ipv4 '{ 192.0.2.50/32 }'");
    await lab.must("relay", ["sh", "-c", command.replace(/^sudo /, "")]);
    expect(await ssh("outsider")).toBe("open");
  });
});

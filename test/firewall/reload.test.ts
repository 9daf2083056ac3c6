/**
 * Delivering a ruleset to a live host, as the kit does over SSH: the real delivery script (components/
 * delivery) with the nftables apply step, run inside the core's namespace against a temporary root,
 * with `sudo` and `cloud-init` replaced by shims. Applying is idempotent, a changed pool (a relay added)
 * changes the rules in place, another table survives every reload, an established SSH session survives
 * too, and a ruleset the kernel refuses changes nothing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deliveryScript, deliveryStdin, type Delivery } from "../../components/delivery/bundle";
import { renderNftables } from "../../components/firewall/nftables";
import { nftablesDelivery, SSH_GUARD_SCRIPT } from "../../components/firewall/nftables-delivery";
import { NETNS_REQUIREMENTS, NetnsLab } from "../helpers/netns";
import { describeWith } from "../helpers/requirements";
import { host, poolModel } from "./model";

const twoRelays = poolModel({ relays: 2 });
const threeRelays = poolModel({ relays: 3 });
const core = twoRelays.core;
const relay1 = host(twoRelays, "relay-1");
const relay3 = host(threeRelays, "relay-3");

/** Tables the kit must never touch, among them one with the kit's table name in another family. */
const FOREIGN_TABLES = `table inet operator {
	set blocked {
		type ipv4_addr
		elements = { 192.0.2.66 }
	}
	chain input {
		type filter hook input priority filter + 10; policy accept;
		ip saddr @blocked drop
	}
}
table ip stakepool {
	chain audit {
		counter
	}
}
`;

const lab = new NetnsLab("reload");
let root: string;
let shims: string;

/** Runs the delivery exactly as the remote command would, inside the core's namespace. */
function deliver(delivery: Delivery) {
  return lab.exec("core", ["bash", "-c", deliveryScript(delivery)], deliveryStdin(delivery), {
    ...process.env,
    PATH: `${shims}:${process.env.PATH ?? ""}`,
    STAKEPOOL_ROOT: root,
  });
}

async function listTable(family: string, name: string): Promise<string> {
  return lab.must("core", ["nft", "list", "table", family, name]);
}

async function tables(): Promise<string[]> {
  return (await lab.must("core", ["nft", "list", "tables"])).trim().split("\n").sort();
}

function bootFile(): string {
  return fs.readFileSync(path.join(root, "etc/nftables.conf"), "utf8");
}

describeWith(NETNS_REQUIREMENTS, "reloading a host's ruleset", () => {
  beforeAll(async () => {
    await lab.start([
      { name: "core", ipv4: core.privateIp },
      { name: "relay-1", ipv4: relay1.privateIp },
      { name: "relay-3", ipv4: relay3.privateIp },
    ]);
    root = fs.mkdtempSync(path.join(lab.dir, "root-"));
    shims = fs.mkdtempSync(path.join(lab.dir, "bin-"));
    // sudo: drop -n and run the rest as the (root) test; cloud-init: report that boot has finished.
    fs.writeFileSync(path.join(shims, "sudo"), '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(shims, "cloud-init"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    await lab.loadRuleset("core", FOREIGN_TABLES);
    await (await lab.agent("core")).listen([22, 3001]);
  });
  afterAll(() => lab.destroy());

  it("is idempotent, replaces only its own table, and keeps established sessions", async () => {
    const foreignBefore = [await listTable("inet", "operator"), await listTable("ip", "stakepool")];
    const session = await (await lab.agent("relay-1")).open({ address: core.privateIp, port: 22 }, 1500);
    expect(session.outcome).toBe("open");

    const first = await deliver(nftablesDelivery(twoRelays, core));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const once = await listTable("inet", "stakepool");
    const second = await deliver(nftablesDelivery(twoRelays, core));
    expect(second.code).toBe(0);

    expect(await listTable("inet", "stakepool")).toBe(once);
    expect(await tables()).toEqual(["table inet operator", "table inet stakepool", "table ip stakepool"]);
    expect([await listTable("inet", "operator"), await listTable("ip", "stakepool")]).toEqual(foreignBefore);
    expect(bootFile()).toBe(renderNftables(twoRelays, core));
    expect(fs.existsSync(path.join(root, "etc/nftables.conf.new"))).toBe(false);
    // The SSH session that carried the delivery is still alive after two reloads.
    expect(await (await lab.agent("relay-1")).echo(session.conn!, 1500)).toBe(true);
  });

  it("admits a new relay once the changed ruleset is delivered, with no duplicate rules", async () => {
    const relay3Agent = await lab.agent("relay-3");
    const target = { address: core.privateIp, port: 3001 };
    expect((await relay3Agent.probe([target], 1000))[0]!.outcome).toBe("timeout");
    const foreignBefore = await listTable("inet", "operator");

    const changed = await deliver(nftablesDelivery(threeRelays, core));
    expect(changed.stderr).toBe("");
    expect(changed.code).toBe(0);

    expect((await relay3Agent.probe([target], 1000))[0]!.outcome).toBe("open");
    const listing = await listTable("inet", "stakepool");
    expect(listing.match(/tcp dport 3001 accept/g)).toHaveLength(3);
    expect(listing.match(/tcp dport 22 accept/g)).toHaveLength(3);
    expect(listing).toContain(`ip saddr ${relay3.privateIp} tcp dport 3001 accept`);
    expect(await tables()).toEqual(["table inet operator", "table inet stakepool", "table ip stakepool"]);
    expect(await listTable("inet", "operator")).toBe(foreignBefore);
    expect(bootFile()).toBe(renderNftables(threeRelays, core));
  });

  it("changes nothing, running or at boot, when the new ruleset would shut out the SSH session applying it", async () => {
    const running = await listTable("inet", "stakepool");
    const boot = bootFile();
    // An SSH session from relay-1, as the delivery's own would be; a pool whose only relay is elsewhere.
    const session = await (await lab.agent("relay-1")).open({ address: core.privateIp, port: 22 }, 1500);
    expect(session.outcome).toBe("open");
    const elsewhere = poolModel({ relays: 1, vpcCidr: "10.40.0.0/16" });
    const result = await deliver(nftablesDelivery(elsewhere, core));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`ssh-guard: the new firewall admits SSH on port 22 from ${elsewhere.relays[0]!.privateIp}/32 only, and this session comes from ${relay1.privateIp}`));
    expect(await listTable("inet", "stakepool")).toBe(running);
    expect(bootFile()).toBe(boot);
    expect(await (await lab.agent("relay-1")).echo(session.conn!, 1500)).toBe(true);
    expect(fs.existsSync(path.join(root, SSH_GUARD_SCRIPT))).toBe(true);
  });

  it("changes nothing, running or at boot, when the kernel refuses the ruleset", async () => {
    const running = await listTable("inet", "stakepool");
    const boot = bootFile();
    const good = nftablesDelivery(twoRelays, core);
    const file = good.files[0]!;
    // Valid syntax, refused by the kernel's check: it jumps to a chain that does not exist.
    const broken: Delivery = { ...good, files: [{ ...file, content: file.content.replace("policy drop;\n", "policy drop;\n\t\tjump nowhere\n") }] };

    const result = await deliver(broken);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/nowhere/);
    expect(await listTable("inet", "stakepool")).toBe(running);
    expect(bootFile()).toBe(boot);
    expect(fs.existsSync(path.join(root, "etc/nftables.conf.new"))).toBe(false);
  });

});

describeWith({ tools: ["shellcheck"] }, "the ruleset's delivery scripts", () => {
  it("pass shellcheck: the apply step as sh runs it, the whole delivery as bash", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nft-shellcheck-"));
    try {
      const step = path.join(dir, "apply.sh");
      fs.writeFileSync(step, `#!/bin/sh\nR="\${R:-}"\n${nftablesDelivery(twoRelays, core).apply[0]!}\n`);
      const whole = path.join(dir, "delivery.sh");
      fs.writeFileSync(whole, `#!/bin/bash\n${deliveryScript(nftablesDelivery(twoRelays, core))}`);
      for (const [shell, file] of [["sh", step], ["bash", whole]] as const) {
        const result = spawnSync("shellcheck", ["-s", shell, file], { encoding: "utf8" });
        expect(result.stdout, file).toBe("");
        expect(result.status).toBe(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

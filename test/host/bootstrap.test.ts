/**
 * A server's user data: the bootstrap alone (host name, the SSH host key the kit generated), checked by
 * cloud-init's own schema with a real ed25519 key, and constant while the pool changes around it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { renderBootstrap } from "../../components/backends/aws/bootstrap";
import { gzipUserData, USER_DATA_MAX_BYTES } from "../../components/backends/aws/host";
import { hostNamed, testModel } from "../helpers/model";
import { describeWith } from "../helpers/requirements";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A real OpenSSH ed25519 host key, as @pulumi/tls generates one at deploy time. */
function realKey(): { privateKey: string; publicKey: string } {
  const file = path.join(dir, `key-${Math.random().toString(16).slice(2)}`);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
  return { privateKey: fs.readFileSync(file, "utf8"), publicKey: fs.readFileSync(`${file}.pub`, "utf8").trim() };
}

const FAKE = { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n", publicKey: "ssh-ed25519 AAAA test" };

describe("the bootstrap", () => {
  it("holds the host name and the kit's host key only: nothing installs, nothing that changes during the pool's life", () => {
    const model = testModel("preview");
    const document = yaml.load(renderBootstrap(model, model.core, FAKE)) as Record<string, unknown>;
    expect(Object.keys(document).sort()).toEqual(["hostname", "package_update", "package_upgrade", "preserve_hostname", "ssh_deletekeys", "ssh_keys"]);
    expect(document).toMatchObject({ hostname: "test-core", ssh_deletekeys: true, package_update: false });
    expect(document.ssh_keys).toEqual({ ed25519_private: FAKE.privateKey, ed25519_public: FAKE.publicKey });
  });

  it("does not change with relays, admin networks, releases, Mithril, peers or keys", () => {
    const model = testModel("preview");
    const changed = testModel("preview", { relays: 5, adminCidrs: ["198.51.100.0/24"], nodeVersion: "11.2.0", mithrilBootstrap: false, peerCount: 30 });
    for (const name of ["core", "relay-1", "relay-2"]) {
      expect(renderBootstrap(changed, hostNamed(changed, name), FAKE)).toBe(renderBootstrap(model, hostNamed(model, name), FAKE));
    }
  });

  it("fits EC2's 16 KiB user-data limit with room to spare", () => {
    const model = testModel("mainnet");
    expect(Buffer.from(gzipUserData(renderBootstrap(model, model.core, realKey())), "base64").length).toBeLessThan(USER_DATA_MAX_BYTES / 8);
  });
});

describeWith({ tools: ["cloud-init", "ssh-keygen"] }, "the bootstrap under cloud-init's schema", () => {
  const check = (name: string, text: string) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(file, text);
    return spawnSync("cloud-init", ["schema", "--config-file", file], { encoding: "utf8" });
  };

  it("is valid for every host of a mainnet and a testnet pool, with a real host key", () => {
    for (const network of ["mainnet", "preview"] as const) {
      const model = testModel(network, { relays: 2 });
      for (const host of model.hosts) {
        const result = check(`${network}-${host.name}`, renderBootstrap(model, host, realKey()));
        expect(`${result.stdout}${result.stderr}`, `${network} ${host.name}`).toContain("Valid cloud-config");
        expect(result.status).toBe(0);
      }
    }
  });

  it("is refused when a key is malformed (the check is real)", () => {
    const model = testModel("preview");
    const broken = renderBootstrap(model, model.core, realKey()).replace("ssh_deletekeys: true", "ssh_deletekeys: sometimes");
    const result = check("broken", broken);
    expect(result.status).not.toBe(0);
  });
});

/**
 * A server's user data: the one thing EC2 hands it at first boot, constant for its life. It holds only
 * what must be there before the kit's first SSH connection: the host name, and the SSH host key the kit
 * generated for the server, so that every delivery verifies it is talking to this server before it
 * sends anything (the hot keys included). Everything else arrives over SSH (components/features).
 *
 * cloud-init's `ssh_deletekeys` removes the image's host keys and `ssh_keys` installs the given ed25519
 * one; when keys are given, no other is generated (cloud-init `config/cc_ssh.py` `handle`: generation
 * is the branch taken only without `ssh_keys`), so the server presents exactly the key the kit expects.
 *
 * The private host key is a secret: the Instance takes this document as a secret input, and the plan
 * shows a placeholder in its place.
 */
import * as yaml from "js-yaml";
import { hostname, type HostSpec, type PoolModel } from "../../model/pool";

export interface HostKeyPair {
  /** OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`). */
  readonly privateKey: string;
  /** `ssh-ed25519 AAAA…`: what every delivery expects the server to present. */
  readonly publicKey: string;
}

/** The #cloud-config document, deterministic (sorted keys, no anchors, no folded lines). */
export function renderBootstrap(model: PoolModel, host: HostSpec, key: HostKeyPair): string {
  const document = {
    hostname: hostname(model, host),
    preserve_hostname: false,
    ssh_deletekeys: true,
    ssh_keys: { ed25519_private: key.privateKey, ed25519_public: key.publicKey },
    // Nothing is installed at boot: packages come with the first delivery, after the public address is up.
    package_update: false,
    package_upgrade: false,
  };
  return `#cloud-config\n${yaml.dump(document, { sortKeys: true, noRefs: true, lineWidth: -1 })}`;
}

/**
 * The two ways the box's servers come to exist, as the kit's two backends meet them:
 *
 * - `aws`: the kit creates each server. It boots the kit's gzipped user data (renderBootstrap) with the
 *   operator's key in the instance metadata; its data disk is an EBS volume found by the id in its tags
 *   (IMDSv2); 1 GiB of memory is enough for the stand-in node (the kit sizes instances, it never checks).
 * - `ssh`: the operator's own servers, as a provider hands them over: the image's first boot makes a login
 *   user with passwordless sudo and the operator's key, installs the host key the provider's console
 *   shows, and (relay-1, the way to the core) moves sshd to port 2222. No user data of the kit, no instance metadata: the
 *   services answer none (e2e/services.ts). The stack lists the servers in `stakepool:servers`; the first
 *   contact (components/backends/ssh/preflight.ts) checks the memory they declare, so they get 4 GiB.
 */
import { gzipUserData } from "../components/backends/aws/host";
import { renderBootstrap, type HostKeyPair } from "../components/backends/aws/bootstrap";
import type { HostSpec, PoolModel } from "../components/model/pool";
import { hostname } from "../components/model/pool";
import type { GuestSpec, Seed } from "./guest";
import { ULA_PREFIX } from "./network";
import type { BoxServer } from "./pool";

export type BackendName = "aws" | "ssh";
export const BACKENDS: readonly BackendName[] = ["aws", "ssh"];

/**
 * The hosts of each box's pool. On AWS a core and two relays (siblings, rolling restarts across relays);
 * on own servers a core and one relay: what differs there is how a server is reached and checked, and a
 * third guest would cost the CI two minutes of TCG for nothing the AWS box does not already prove.
 */
export const BOX_HOSTS: Readonly<Record<BackendName, readonly string[]>> = { aws: ["core", "relay-1", "relay-2"], ssh: ["core", "relay-1"] };

/** The login user the provider's image creates on the operator's servers (not the AWS images' ubuntu). */
export const OWN_SERVER_USER = "pooladmin";

/** The operator's servers: addresses on the wire's /16, where the operator's SSH reaches them too. */
const OWN_SERVERS: Readonly<Record<string, { address: string; sshPort: number; publicAddress?: string }>> = {
  core: { address: "10.30.1.10", sshPort: 22 },
  // What the pool registers on chain: a name (the box has no DNS; nothing resolves it during the run).
  // Its sshd on 2222: the operator's way in, and the kit's jump to the core.
  "relay-1": { address: "10.30.2.11", sshPort: 2222, publicAddress: "relay-1.box.stakepool-kit.net" },
};

/** What every own server declares (the hardware floor of the pool spec; preview recommends more). */
export const OWN_SERVER_MEMORY_GIB = 4;
export const OWN_SERVER_DISK_GIB = 50;

/** A virtio disk's serial (at most 20 characters), which udev names it by under /dev/disk/by-id. */
function diskSerial(name: string): string {
  return `e2e-${name}-data`;
}

/** `stakepool:servers` for the box's own servers, with the host keys their consoles show. */
export function ownServers(hostKeys: ReadonlyMap<string, HostKeyPair>): BoxServer[] {
  return BOX_HOSTS.ssh.map((name) => {
    const server = OWN_SERVERS[name]!;
    return {
      name,
      role: name === "core" ? ("core" as const) : ("relay" as const),
      address: server.address,
      ...(server.publicAddress === undefined ? {} : { publicAddress: server.publicAddress }),
      sshUser: OWN_SERVER_USER,
      sshPort: server.sshPort,
      hostKey: hostKeys.get(name)!.publicKey,
      memoryGiB: OWN_SERVER_MEMORY_GIB,
      dataDiskGiB: OWN_SERVER_DISK_GIB,
      dataDevice: `/dev/disk/by-id/virtio-${diskSerial(name)}`,
    };
  });
}

/** The guest for one host of the pool. `volumeId`: the EBS volume's id (AWS). */
export function guestSpec(backend: BackendName, model: PoolModel, host: HostSpec, index: number, volumeId: string): GuestSpec {
  const common = {
    name: host.name,
    privateIp: host.privateIp,
    ipv6: `${ULA_PREFIX}${(16 + index).toString(16)}`,
    mac: `52:54:00:e2:e0:${(16 + index).toString(16)}`,
    tap: `tap-${host.name}`,
    // The size the kit gives the volume, or the one the operator declares (a sparse file, so it costs the
    // machine what is written): the setup waits for a volume smaller than DATA_VOLUME_GIB to grow.
    dataDiskGiB: host.dataDiskGiB,
  };
  return backend === "aws"
    ? { ...common, hostname: hostname(model, host), memoryMiB: 1024, diskSerial: volumeId.replace("-", "") }
    : { ...common, hostname: `box-${host.name}`, memoryMiB: host.memoryGiB * 1024, diskSerial: diskSerial(host.name) };
}

/**
 * The first-boot settings of an operator's server, as a provider's image applies them: the login user
 * (passwordless sudo, the operator's key), the host key, and sshd's port when it is not 22.
 */
export function providerCloudConfig(login: { user: string; port: number }, adminKey: string, hostKey: HostKeyPair): string {
  const indent = (text: string, by: string) => text.trimEnd().split("\n").map((l) => `${by}${l}`).join("\n");
  return [
    "#cloud-config",
    "# The provider's first boot of an operator's server (e2e/backends.ts); nothing here comes from the kit.",
    "users:",
    `  - name: ${login.user}`,
    "    shell: /bin/bash",
    "    lock_passwd: true",
    '    sudo: "ALL=(ALL) NOPASSWD:ALL"',
    "    ssh_authorized_keys:",
    `      - ${adminKey}`,
    "ssh_deletekeys: true",
    "ssh_genkeytypes: []",
    "ssh_keys:",
    "  ed25519_private: |",
    indent(hostKey.privateKey, "    "),
    `  ed25519_public: ${hostKey.publicKey}`,
    ...(login.port === 22
      ? []
      : ["write_files:", "  - path: /etc/ssh/sshd_config.d/05-provider-port.conf", "    permissions: '0644'", `    content: "Port ${login.port}\\n"`]),
    "",
  ].join("\n");
}

/** What the server receives at its first boot. */
export function seedFor(backend: BackendName, model: PoolModel, host: HostSpec, hostKey: HostKeyPair, adminKey: string, instanceId: string): Seed {
  if (backend === "aws") {
    return { instanceId, userData: Buffer.from(gzipUserData(renderBootstrap(model, host, hostKey)), "base64"), publicKeys: [adminKey] };
  }
  return { instanceId, userData: Buffer.from(providerCloudConfig(host.login, adminKey, hostKey)), publicKeys: [] };
}

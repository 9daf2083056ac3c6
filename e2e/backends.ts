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
import { MONITOR_FLOOR } from "../components/backends/ssh/inventory";
import { ULA_PREFIX } from "./network";
import type { BoxServer } from "./pool";

export type BackendName = "aws" | "ssh";
export const BACKENDS: readonly BackendName[] = ["aws", "ssh"];

/**
 * The hosts of each box's pool. On AWS a core and two relays (siblings, rolling restarts across relays),
 * without monitoring; on own servers a core, one relay and the monitoring host, with the Mithril signer:
 * what differs there is how a server is reached and checked, and what the AWS box does not prove (the
 * monitoring host scraping every guest, the signer reaching its aggregator through the relay's proxy).
 */
export const BOX_HOSTS: Readonly<Record<BackendName, readonly string[]>> = { aws: ["core", "relay-1", "relay-2"], ssh: ["core", "relay-1", "monitor"] };

/** The login user the provider's image creates on the operator's servers (not the AWS images' ubuntu). */
export const OWN_SERVER_USER = "pooladmin";

interface OwnServer {
  readonly role: BoxServer["role"];
  readonly address: string;
  readonly sshPort: number;
  readonly publicAddress?: string;
  readonly memoryGiB: number;
  readonly dataDiskGiB: number;
}

/**
 * The operator's servers: addresses on the wire's /16, where the operator's SSH reaches them too. Each
 * declares the hardware floor of its role (components/backends/ssh/inventory.ts; preview recommends more).
 */
const OWN_SERVERS: Readonly<Record<string, OwnServer>> = {
  core: { role: "core", address: "10.30.1.10", sshPort: 22, memoryGiB: 4, dataDiskGiB: 50 },
  // What the pool registers on chain: a name (the box has no DNS; nothing resolves it during the run).
  // Its sshd on 2222: the operator's way in, and the kit's jump to the core and the monitoring host.
  "relay-1": { role: "relay", address: "10.30.2.11", sshPort: 2222, publicAddress: "relay-1.box.stakepool-kit.net", memoryGiB: 4, dataDiskGiB: 50 },
  // No dataDevice: its metrics live on the root disk it declares.
  monitor: { role: "monitor", address: "10.30.3.12", sshPort: 22, memoryGiB: MONITOR_FLOOR.memoryGiB, dataDiskGiB: MONITOR_FLOOR.diskGiB },
};

/** What the pool's node servers declare (the hardware floor of the pool spec). */
export const OWN_SERVER_MEMORY_GIB = OWN_SERVERS.core!.memoryGiB;

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
      role: server.role,
      address: server.address,
      ...(server.publicAddress === undefined ? {} : { publicAddress: server.publicAddress }),
      sshUser: OWN_SERVER_USER,
      sshPort: server.sshPort,
      hostKey: hostKeys.get(name)!.publicKey,
      memoryGiB: server.memoryGiB,
      dataDiskGiB: server.dataDiskGiB,
      ...(server.role === "monitor" ? {} : { dataDevice: `/dev/disk/by-id/virtio-${diskSerial(name)}` }),
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

/** What the box's wire stands in for on every server: the public CAs (the box's own) and DNS (hosts lines). */
export interface BoxInternet {
  readonly caPem: string;
  /** `/etc/hosts` lines: the names the servers resolve (the Mithril aggregator's). */
  readonly hosts: readonly string[];
}

/**
 * The first-boot settings of an operator's server, as a provider's image applies them: the login user
 * (passwordless sudo, the operator's key), the host key, and sshd's port when it is not 22. And what the
 * Internet gives a real server and the box's wire cannot: the box's CA among the trusted ones (in the
 * system's bundle, as a provider's image trusts the public CAs) and the aggregator's name in /etc/hosts (no DNS).
 */
export function providerCloudConfig(login: { user: string; port: number }, adminKey: string, hostKey: HostKeyPair, internet?: BoxInternet): string {
  const indent = (text: string, by: string) => text.trimEnd().split("\n").map((l) => `${by}${l}`).join("\n");
  const files = [
    ...(login.port === 22 ? [] : ["  - path: /etc/ssh/sshd_config.d/05-provider-port.conf", "    permissions: '0644'", `    content: "Port ${login.port}\\n"`]),
    ...(internet === undefined || internet.hosts.length === 0
      ? []
      : ["  - path: /etc/hosts", "    append: true", "    content: |", "      # The box's stand-in for DNS (e2e/backends.ts).", ...internet.hosts.map((l) => `      ${l}`)]),
    // Appended to the bundle curl, Python's ssl and Go read (Debian's /etc/ssl/certs/ca-certificates.crt),
    // not through cloud-init's ca_certs: its update-ca-certificates took 53 s of a TCG guest's CPU.
    ...(internet === undefined ? [] : ["  - path: /etc/ssl/certs/ca-certificates.crt", "    append: true", "    content: |", indent(internet.caPem, "      ")]),
  ];
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
    ...(files.length === 0 ? [] : ["write_files:", ...files]),
    "",
  ].join("\n");
}

/** What the server receives at its first boot. */
export function seedFor(backend: BackendName, model: PoolModel, host: HostSpec, hostKey: HostKeyPair, adminKey: string, instanceId: string, internet?: BoxInternet): Seed {
  if (backend === "aws") {
    return { instanceId, userData: Buffer.from(gzipUserData(renderBootstrap(model, host, hostKey)), "base64"), publicKeys: [adminKey] };
  }
  return { instanceId, userData: Buffer.from(providerCloudConfig(host.login, adminKey, hostKey, internet)), publicKeys: [] };
}

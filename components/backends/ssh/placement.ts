/**
 * A pool on the operator's own servers (`stakepool:backend ssh`): the hosts are the servers of
 * `stakepool:servers`, as declared. The kit creates no server, network or cloud firewall; it reaches each
 * server over SSH (relays at their public address, the core through relay-1) and delivers the same steps
 * as on AWS. Settings that only mean something on AWS are refused when set, so that an operator never
 * believes a setting took effect when it did not.
 */
import { Findings } from "../../config/problems";
import { fullKey, SETTINGS, type SettingKey, type Settings } from "../../config/settings";
import type { HostSpec } from "../../model/pool";
import type { NetworkProfile } from "../../networks/networks";
import { checkServers, type SshServer } from "./inventory";

/** What only the AWS backend reads; on ssh each must stay at its default. */
export const AWS_ONLY_SETTINGS: readonly SettingKey[] = [
  "relays",
  "sshPublicKey",
  "availabilityZones",
  "hostZones",
  "vpcCidr",
  "coreInstanceType",
  "relayInstanceType",
  "dataVolumeGiB",
  "rootVolumeGiB",
  "ami",
  "hostMetadata",
  "metadataBucket",
  "dnsZone",
];

/** Where each setting that only the AWS backend reads says so, for the operator who set it on ssh. */
const INSTEAD: Partial<Record<SettingKey, string>> = {
  relays: "the relays are the relay-N entries of stakepool:servers",
  sshPublicKey: "your servers keep the authorized keys you gave them",
  coreInstanceType: "declare each server's memoryGiB in stakepool:servers",
  relayInstanceType: "declare each server's memoryGiB in stakepool:servers",
  dataVolumeGiB: "declare each server's dataDiskGiB in stakepool:servers",
  hostMetadata: "host pool-metadata.json yourself and set stakepool:metadataUrl",
  dnsZone: "give relays a DNS name as their publicAddress",
};

export interface SshPlacement {
  readonly kind: "ssh";
  /** Host name → the server as declared. */
  readonly servers: ReadonlyMap<string, SshServer>;
}

/** Refuses every AWS-only setting that is not at its default. */
export function checkSshSettings(settings: Settings, findings: Findings): void {
  for (const key of AWS_ONLY_SETTINGS) {
    const value: unknown = settings[key];
    if (JSON.stringify(value) === JSON.stringify(SETTINGS[key].default)) continue;
    findings.problem(
      fullKey(key),
      `applies to the AWS backend only, and this pool runs on your own servers (stakepool:backend ssh)${INSTEAD[key] ? `: ${INSTEAD[key]}` : ""}`,
      `pulumi config rm ${fullKey(key)}`,
    );
  }
}

export function placeOnSsh(
  settings: Settings,
  network: NetworkProfile,
  options: { readonly deploying: boolean },
): { hosts: HostSpec[] | undefined; placement: SshPlacement | undefined; findings: Findings } {
  const findings = new Findings();
  checkSshSettings(settings, findings);
  const checked = checkServers(settings.servers, { network, allowBelowRecommended: settings.allowBelowRecommended, deploying: options.deploying });
  findings.absorb(checked.findings);
  const monitors = (checked.servers ?? []).filter((s) => s.role === "monitor");
  if (checked.servers && settings.monitoring && monitors.length === 0) {
    findings.problem(
      fullKey("servers"),
      `has no server with role monitor, and ${fullKey("monitoring")} is on: Prometheus, Alertmanager and Grafana need a server of their own (2 GiB of memory and 10 GiB of disk are enough)`,
      `add one (name, role monitor, address, sshUser, hostKey, memoryGiB, dataDiskGiB) to ${fullKey("servers")}, or pulumi config set ${fullKey("monitoring")} false`,
    );
  }
  if (!settings.monitoring && monitors.length > 0) {
    findings.problem(fullKey("servers"), `lists ${monitors[0]!.name} with role monitor, but ${fullKey("monitoring")} is false`, `pulumi config set ${fullKey("monitoring")} true, or remove ${monitors[0]!.name} from ${fullKey("servers")}`);
  }
  if (!checked.servers || findings.problems.length > 0) return { hosts: undefined, placement: undefined, findings };
  const hosts = checked.servers.map(
    (s): HostSpec => ({
      name: s.name,
      role: s.role,
      relayNumber: s.relayNumber,
      privateIp: s.privateAddress,
      // The kit does not know whether the operator's network routes IPv6: relays get IPv4 peers only.
      ipv6: false,
      memoryGiB: s.memoryGiB,
      dataDiskGiB: s.dataDiskGiB,
      login: { user: s.sshUser, port: s.sshPort },
      dataDisk: s.dataDevice === undefined ? { kind: "folder" } : { kind: "device", path: s.dataDevice },
      // The distribution's own time sources.
      timeServer: undefined,
      // No instance tags: a changed admin network is recovered on the console (../../firewall/admin-sync.ts).
      adminSync: false,
    }),
  );
  return { hosts, placement: { kind: "ssh", servers: new Map(checked.servers.map((s) => [s.name, s])) }, findings };
}

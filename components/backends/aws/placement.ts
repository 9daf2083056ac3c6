/**
 * Where an AWS pool's hosts go, decided before any resource exists: the region, the VPC and its subnets,
 * each host's zone, static private IP and instance type (its memory from the kit's table), the data
 * volume's size, the operator's key pair, the relays' DNS names. Pure: the same settings always place the
 * same hosts at the same addresses, so a plan shows exactly what `pulumi up` creates.
 */
import { Findings } from "../../config/problems";
import { AUTO_VALUE, fullKey, type Settings } from "../../config/settings";
import { checkSshPublicKey } from "../../config/ssh-key";
import { checkRelayDnsName } from "../../metadata/relay-dns";
import type { HostSpec, NodeRole } from "../../model/pool";
import type { NetworkProfile } from "../../networks/networks";
import { checkVpcCidr, hostAddress, monitorAddress, placeHosts, planSubnets, resolveZones, type SubnetSpec } from "./addressing";
import { DEFAULT_INSTANCE_TYPES, lookupInstanceType, type InstanceTypeInfo } from "./instance-types";
import { MONITOR_INSTANCE_TYPE, MONITOR_ROOT_GIB } from "./monitor-sizing";
import { checkDataVolume, checkInstanceType } from "./sizing";
import { DATA_VOLUME_TAG } from "./tags";

/** The monitoring host's name on AWS. */
export const MONITOR_NAME = "monitor";

/** The login user of Canonical's Ubuntu images (cloud-init's default user), with passwordless sudo. */
export const UBUNTU_LOGIN_USER = "ubuntu";
/** The Amazon Time Sync Service, reachable from every instance at a link-local address. */
export const AMAZON_TIME_SYNC = "169.254.169.123";

/** What AWS needs of a host beyond the pool model. */
export interface AwsHostPlacement {
  readonly availabilityZone: string;
  readonly subnetCidr: string;
  readonly instanceType: InstanceTypeInfo;
  readonly rootVolumeGiB: number;
}

export interface AwsPlacement {
  readonly kind: "aws";
  readonly region: string;
  readonly vpcCidr: string;
  readonly subnets: readonly SubnetSpec[];
  /** Host name → its zone, subnet and instance. */
  readonly hosts: ReadonlyMap<string, AwsHostPlacement>;
  /** A pinned AMI, or undefined to look up Ubuntu 24.04 at the first deploy. */
  readonly ami: string | undefined;
  /** The operator's key pair (and every host's only authorized key). */
  readonly sshPublicKey: string;
  /** Relay name → its name in the Route53 zone, when the pool has one. */
  readonly relayDnsNames: ReadonlyMap<string, string>;
  readonly dnsZone: string | undefined;
}

export interface AwsHosts {
  readonly hosts: readonly HostSpec[] | undefined;
  readonly placement: AwsPlacement | undefined;
  readonly findings: Findings;
}

function relayDnsNames(settings: Settings, relays: readonly string[], findings: Findings): Map<string, string> {
  const names = new Map<string, string>();
  const zone = settings.dnsZone.trim().replace(/\.$/, "").toLowerCase();
  if (zone === "") return names;
  for (const relay of relays) {
    const name = `${relay}.${zone}`;
    if (!checkRelayDnsName(name, fullKey("dnsZone"), findings)) return new Map();
    names.set(relay, name);
  }
  return names;
}

/** Places the pool's hosts in `region` (already checked) from the AWS settings. */
export function placeOnAws(settings: Settings, region: string, network: NetworkProfile): AwsHosts {
  const findings = new Findings();
  const allowBelowRecommended = settings.allowBelowRecommended;

  const sizes = new Map<NodeRole, InstanceTypeInfo | undefined>();
  for (const role of ["core", "relay"] as const) {
    const key = role === "core" ? "coreInstanceType" : "relayInstanceType";
    const instanceType = settings[key] === AUTO_VALUE ? DEFAULT_INSTANCE_TYPES[network.name][role] : settings[key];
    const checked = checkInstanceType({ role, instanceTypeSetting: fullKey(key), instanceType, network, allowBelowRecommended });
    findings.absorb(checked.findings);
    sizes.set(role, checked.info);
  }
  const dataVolumeGiB = settings.dataVolumeGiB === 0 ? network.defaults.dataDiskGiB : settings.dataVolumeGiB;
  findings.absorb(checkDataVolume({ dataVolumeGiB, network, allowBelowRecommended }));

  if (settings.servers.length > 0) {
    findings.problem(
      fullKey("servers"),
      "lists servers, but this pool runs on AWS, where the kit creates its servers (stakepool:backend aws)",
      `pulumi config set ${fullKey("backend")} ssh to deploy to the servers listed, or pulumi config rm ${fullKey("servers")}`,
    );
  }
  const ssh = checkSshPublicKey(settings.sshPublicKey);
  if (settings.sshPublicKey.trim() === "") {
    findings.problem(
      fullKey("sshPublicKey"),
      "is required on AWS: the key pair of every server, and its login user's only key",
      `pulumi config set ${fullKey("sshPublicKey")} "$(cat ~/.ssh/id_ed25519.pub)"`,
    );
  } else if (!ssh.ok) findings.problem(fullKey("sshPublicKey"), ssh.message, `pulumi config set ${fullKey("sshPublicKey")} "$(cat ~/.ssh/id_ed25519.pub)"`);

  const vpc = checkVpcCidr(settings.vpcCidr);
  findings.absorb(vpc.findings);
  const zones = resolveZones(settings.availabilityZones, region);
  findings.absorb(zones.findings);

  if (settings.relays > 5) {
    findings.warn(
      fullKey("relays"),
      `${settings.relays} relays need ${settings.relays} Elastic IPs; AWS allows 5 per region by default (ask for a quota increase first)`,
    );
  }

  const coreInfo = sizes.get("core");
  const relayInfo = sizes.get("relay");
  const relayNames = Array.from({ length: settings.relays }, (_, i) => `relay-${i + 1}`);
  const hostNames = ["core", ...relayNames];
  // The monitoring host takes the first zone unless pinned: never a place that depends on the relay count.
  const placement = placeHosts([...hostNames, ...(settings.monitoring ? [MONITOR_NAME] : [])], zones.zones, settings.hostZones);
  const monitorZone = settings.hostZones[MONITOR_NAME] !== undefined ? placement.zones.get(MONITOR_NAME) : zones.zones[0];
  findings.absorb(placement.findings);
  const planned = vpc.cidr ? planSubnets(vpc.cidr, zones.zones) : undefined;
  if (planned) findings.absorb(planned.findings);
  const dns = relayDnsNames(settings, relayNames, findings);
  if (findings.problems.length > 0 || !coreInfo || !relayInfo || !vpc.cidr || !ssh.ok || !planned) {
    return { hosts: undefined, placement: undefined, findings };
  }

  const subnets = planned.subnets;
  const placed = new Map<string, AwsHostPlacement>();
  const host = (role: NodeRole, relayNumber: number, info: InstanceTypeInfo): HostSpec => {
    const name = role === "core" ? "core" : `relay-${relayNumber}`;
    const subnet = subnets.find((s) => s.availabilityZone === placement.zones.get(name))!;
    placed.set(name, { availabilityZone: subnet.availabilityZone, subnetCidr: subnet.cidr, instanceType: info, rootVolumeGiB: settings.rootVolumeGiB });
    return {
      name,
      role,
      relayNumber,
      privateIp: hostAddress(subnet, relayNumber),
      // The VPC is IPv4 only.
      ipv6: false,
      memoryGiB: info.memoryGiB,
      dataDiskGiB: dataVolumeGiB,
      login: { user: UBUNTU_LOGIN_USER, port: 22 },
      dataDisk: { kind: "tagged-volume", tag: DATA_VOLUME_TAG },
      timeServer: AMAZON_TIME_SYNC,
      // A relay's firewall takes the admin networks from its instance tags too (../../firewall/admin-sync.ts).
      adminSync: role === "relay",
    };
  };
  const hosts = [host("core", 0, coreInfo), ...relayNames.map((_, i) => host("relay", i + 1, relayInfo))];
  if (settings.monitoring) {
    const subnet = subnets.find((s) => s.availabilityZone === monitorZone)!;
    const info = lookupInstanceType(MONITOR_INSTANCE_TYPE)!;
    placed.set(MONITOR_NAME, { availabilityZone: subnet.availabilityZone, subnetCidr: subnet.cidr, instanceType: info, rootVolumeGiB: MONITOR_ROOT_GIB });
    hosts.push({
      name: MONITOR_NAME,
      role: "monitor",
      relayNumber: 0,
      privateIp: monitorAddress(subnet),
      ipv6: false,
      memoryGiB: info.memoryGiB,
      // No chain database: its metrics live on the root volume (./monitor-sizing.ts).
      dataDiskGiB: 0,
      login: { user: UBUNTU_LOGIN_USER, port: 22 },
      dataDisk: { kind: "folder" },
      timeServer: AMAZON_TIME_SYNC,
      adminSync: false,
    });
  }
  return {
    hosts,
    placement: {
      kind: "aws",
      region,
      vpcCidr: vpc.cidr.text,
      subnets,
      hosts: placed,
      ami: settings.ami === "" ? undefined : settings.ami,
      sshPublicKey: ssh.key,
      relayDnsNames: dns,
      dnsZone: dns.size > 0 ? settings.dnsZone.trim().replace(/\.$/, "").toLowerCase() : undefined,
    },
    findings,
  };
}

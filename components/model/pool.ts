/**
 * The pool model: one plain description of the whole pool, from which every rendering (security
 * groups, host firewalls, topologies, user data, registration, the plan) is derived by pure functions.
 */
import { AUTO_VALUE, fullKey, type Settings } from "../config/settings";
import { Findings } from "../config/problems";
import { checkAdminCidrs } from "../firewall/admin-cidrs";
import type { InstanceTypeInfo } from "../backends/aws/instance-types";
import { checkDataVolume, checkInstanceType, type HostRole } from "../backends/aws/sizing";
import { checkSshPublicKey } from "../config/ssh-key";
import { NETWORKS, type NetworkProfile } from "../networks/networks";
import { checkVpcCidr, hostAddress, placeHosts, planSubnets, resolveZones, type SubnetSpec } from "../backends/aws/addressing";

export type { HostRole } from "../backends/aws/sizing";

export interface HostSpec {
  /** "core", or "relay-<n>". Identity: never renamed. */
  readonly name: string;
  readonly role: HostRole;
  /** 0 for the core, n for relay-n. */
  readonly relayNumber: number;
  readonly availabilityZone: string;
  readonly subnetCidr: string;
  readonly privateIp: string;
  /** Whether the host has an IPv6 route to the Internet (an AWS pool's VPC is IPv4 only). */
  readonly ipv6: boolean;
  readonly instanceType: InstanceTypeInfo;
  readonly rootVolumeGiB: number;
  readonly dataVolumeGiB: number;
}

export interface PoolModel {
  readonly stack: string;
  readonly network: NetworkProfile;
  readonly region: string;
  readonly vpcCidr: string;
  readonly subnets: readonly SubnetSpec[];
  readonly core: HostSpec;
  readonly relays: readonly HostSpec[];
  /** The core, then the relays in order. */
  readonly hosts: readonly HostSpec[];
  /** Canonical, deduplicated and sorted. */
  readonly adminCidrs: readonly string[];
  readonly sshPublicKey: string;
  /** A pinned AMI, or undefined to look up Ubuntu 24.04 at the first deploy. */
  readonly ami: string | undefined;
  /** Mainnet: the chain-data volumes and Elastic IPs are protected from deletion. */
  readonly protect: boolean;
  /** Concurrent connections one source may hold to a relay's node port (host firewall). */
  readonly relayConnectionLimit: number;
}

/** A host's name as the operator sees it: `<stack>-<host>` (its system host name). */
export function hostname(model: PoolModel, host: HostSpec): string {
  return `${model.stack}-${host.name}`;
}

export interface ModelInput {
  readonly settings: Settings;
  readonly region: string;
  readonly stack: string;
}

export interface ModelResult {
  readonly model: PoolModel | undefined;
  readonly findings: Findings;
}

function resolveInstanceType(configured: string, fallback: string): string {
  return configured === AUTO_VALUE ? fallback : configured;
}

export function buildPoolModel({ settings, region, stack }: ModelInput): ModelResult {
  const findings = new Findings();
  const network = NETWORKS[settings.network];
  const allowBelowRecommended = settings.allowBelowRecommended;

  const sizes = new Map<HostRole, InstanceTypeInfo | undefined>();
  for (const role of ["core", "relay"] as const) {
    const key = role === "core" ? "coreInstanceType" : "relayInstanceType";
    const instanceType = resolveInstanceType(settings[key], network.defaults[key]);
    const checked = checkInstanceType({ role, instanceTypeSetting: fullKey(key), instanceType, network, allowBelowRecommended });
    findings.absorb(checked.findings);
    sizes.set(role, checked.info);
  }
  const dataVolumeGiB = settings.dataVolumeGiB === 0 ? network.defaults.dataDiskGiB : settings.dataVolumeGiB;
  findings.absorb(checkDataVolume({ dataVolumeGiB, network, allowBelowRecommended }));

  const ssh = checkSshPublicKey(settings.sshPublicKey);
  if (!ssh.ok) findings.problem(fullKey("sshPublicKey"), ssh.message, `pulumi config set ${fullKey("sshPublicKey")} "$(cat ~/.ssh/id_ed25519.pub)"`);

  const admin = checkAdminCidrs(settings.adminCidrs, network.name, { vpcCidr: settings.vpcCidr });
  findings.absorb(admin.findings);

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
  const hostNames = ["core", ...Array.from({ length: settings.relays }, (_, i) => `relay-${i + 1}`)];
  const placement = placeHosts(hostNames, zones.zones, settings.hostZones);
  findings.absorb(placement.findings);
  const planned = vpc.cidr ? planSubnets(vpc.cidr, zones.zones) : undefined;
  if (planned) findings.absorb(planned.findings);
  if (findings.problems.length > 0 || !coreInfo || !relayInfo || !vpc.cidr || !ssh.ok || !planned) {
    return { model: undefined, findings };
  }

  const subnets = planned.subnets;
  const host = (role: HostRole, relayNumber: number, info: InstanceTypeInfo): HostSpec => {
    const name = role === "core" ? "core" : `relay-${relayNumber}`;
    const subnet = subnets.find((s) => s.availabilityZone === placement.zones.get(name))!;
    return {
      name,
      role,
      relayNumber,
      availabilityZone: subnet.availabilityZone,
      subnetCidr: subnet.cidr,
      privateIp: hostAddress(subnet, relayNumber),
      ipv6: false,
      instanceType: info,
      rootVolumeGiB: settings.rootVolumeGiB,
      dataVolumeGiB,
    };
  };
  const core = host("core", 0, coreInfo);
  const relays = Array.from({ length: settings.relays }, (_, i) => host("relay", i + 1, relayInfo));

  return {
    model: {
      stack,
      network,
      region,
      vpcCidr: vpc.cidr.text,
      subnets,
      core,
      relays,
      hosts: [core, ...relays],
      adminCidrs: admin.cidrs,
      sshPublicKey: ssh.key,
      ami: settings.ami === "" ? undefined : settings.ami,
      protect: network.name === "mainnet",
      relayConnectionLimit: settings.relayConnectionLimit,
    },
    findings,
  };
}

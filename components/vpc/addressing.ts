/**
 * The pool's address plan, fixed at plan time: one /24 public subnet per availability zone, carved in
 * order from the VPC range, and a static private IP for every host derived from its identity, so that
 * topologies and firewall rules need no cloud outputs and a replaced server keeps its address.
 */
import { fullKey } from "../config/settings";
import { Findings } from "../config/problems";
import { isPrivateIpv4Range, ipv4HostAt, ipv4Subnet, parseCidr, type Cidr } from "./cidr";

export const SUBNET_PREFIX = 24;
/** The core's offset inside its subnet; relay n sits at CORE_OFFSET + n. AWS reserves offsets 0-3 and 255. */
export const CORE_OFFSET = 10;

export interface SubnetSpec {
  readonly availabilityZone: string;
  readonly cidr: string;
}

export function checkVpcCidr(text: string): { cidr: Cidr | undefined; findings: Findings } {
  const findings = new Findings();
  const setting = fullKey("vpcCidr");
  const fix = `pulumi config set ${setting} 10.30.0.0/16`;
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    findings.problem(setting, parsed.message, parsed.suggestion ? `use ${parsed.suggestion}; or ${fix}` : fix);
    return { cidr: undefined, findings };
  }
  const { cidr } = parsed;
  if (cidr.family !== "ipv4" || !isPrivateIpv4Range(cidr)) {
    findings.problem(setting, `${cidr.text} is not a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)`, fix);
  } else if (cidr.prefix < 16 || cidr.prefix > 22) {
    findings.problem(setting, `${cidr.text} must be between /16 and /22 (AWS allows /16 at most; each zone takes a /24)`, fix);
  }
  return { cidr: findings.problems.length === 0 ? cidr : undefined, findings };
}

export function resolveZones(configured: readonly string[], region: string): { zones: string[]; findings: Findings } {
  const findings = new Findings();
  const setting = fullKey("availabilityZones");
  const fix = `pulumi config set --path '${setting}[0]' ${region}a && pulumi config set --path '${setting}[1]' ${region}b`;
  const zones = configured.length === 0 ? [`${region}a`, `${region}b`] : [...new Set(configured.map((z) => z.trim()))].sort();
  for (const zone of zones) {
    if (!new RegExp(`^${region}[a-z]$`).test(zone)) {
      findings.problem(setting, `${JSON.stringify(zone)} is not a zone of ${region}`, fix);
    }
  }
  if (zones.length < 2) findings.problem(setting, `lists ${zones.length} distinct zone; the pool spreads over at least 2`, fix);
  return { zones, findings };
}

/** The i-th /24 of the VPC for the i-th zone (zones in sorted order). */
export function planSubnets(vpc: Cidr, zones: readonly string[]): SubnetSpec[] {
  const capacity = 2 ** (SUBNET_PREFIX - vpc.prefix);
  if (zones.length > capacity) throw new Error(`${vpc.text} holds ${capacity} /24 subnets, not ${zones.length}`);
  return zones.map((availabilityZone, i) => ({ availabilityZone, cidr: ipv4Subnet(vpc, SUBNET_PREFIX, i) }));
}

/** The static private IP of a host: the core (relay number 0) at offset 10, relay n at 10 + n. */
export function hostAddress(subnet: SubnetSpec, relayNumber: number): string {
  return ipv4HostAt(subnet.cidr, CORE_OFFSET + relayNumber);
}

/**
 * The pool's address plan, fixed at plan time and stable for the pool's life: one /24 public subnet per
 * availability zone, chosen by the zone's letter (zone a takes the VPC's first /24, b the second…), and a
 * static private IP for every host derived from its identity. So topologies and firewall rules need no
 * cloud outputs, a replaced server keeps its address, and adding or removing a zone renumbers nothing.
 *
 * Placement never moves a host by itself: hosts go round-robin over the first two zones listed (the core
 * and relay 1 to the first, relay 2 to the second, …) unless `stakepool:hostZones` pins a host to a zone.
 * A further zone is used only by the hosts pinned to it, so adding one moves no running server (a zone
 * change replaces a server and its data volume: the volume lives in one zone).
 */
import { fullKey } from "../../config/settings";
import { Findings } from "../../config/problems";
import { isPrivateIpv4Range, ipv4HostAt, ipv4Subnet, parseCidr, type Cidr } from "../../config/cidr";

export const SUBNET_PREFIX = 24;
/** The core's offset inside its subnet; relay n sits at CORE_OFFSET + n. AWS reserves offsets 0-3 and 255. */
export const CORE_OFFSET = 10;
/** Hosts spread over this many zones unless pinned. */
export const PLACEMENT_ZONES = 2;

/**
 * Regions where some accounts do not have the zones `a` and `b` (AWS maps zone letters per account in its
 * oldest regions: "Regions with independently mapped Availability Zones", AWS Regions and Availability
 * Zones guide; us-west-1 accounts have a+c or b+c, newer ap-northeast-1 accounts have no b). There the
 * operator names the zones.
 */
const NO_DEFAULT_ZONES: ReadonlySet<string> = new Set(["us-west-1", "ap-northeast-1"]);

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

/** How an operator lists the zones their account has, for messages. */
function describeZonesCommand(region: string): string {
  return `aws ec2 describe-availability-zones --region ${region} --filters Name=opt-in-status,Values=opt-in-not-required --query 'AvailabilityZones[].ZoneName'`;
}

/**
 * The zones as listed (order matters: the first two carry the default placement), deduplicated.
 * Empty: the region's zones a and b, except where accounts differ.
 */
export function resolveZones(configured: readonly string[], region: string): { zones: string[]; findings: Findings } {
  const findings = new Findings();
  const setting = fullKey("availabilityZones");
  const fix = `pulumi config set --path '${setting}[0]' ${region}a && pulumi config set --path '${setting}[1]' ${region}b (your account's zones: ${describeZonesCommand(region)})`;
  if (configured.length === 0 && NO_DEFAULT_ZONES.has(region)) {
    findings.problem(setting, `is empty, and in ${region} the zone letters differ between AWS accounts: name two zones your account has`, fix);
    return { zones: [], findings };
  }
  const zones = configured.length === 0 ? [`${region}a`, `${region}b`] : [...new Set(configured.map((z) => z.trim()))];
  for (const zone of zones) {
    if (!new RegExp(`^${region}[a-z]$`).test(zone)) {
      findings.problem(setting, `${JSON.stringify(zone)} is not a zone of ${region} (a zone is the region followed by one letter)`, fix);
    }
  }
  if (zones.length < PLACEMENT_ZONES) findings.problem(setting, `lists ${zones.length} distinct zone; the pool spreads over at least ${PLACEMENT_ZONES}`, fix);
  return { zones, findings };
}

/**
 * At deploy time: the configured zones this account does not have, as the error that stops the deploy
 * (the plan cannot know an account's zones), or undefined when all exist.
 */
export function missingZonesError(zones: readonly string[], available: readonly string[], region: string): string | undefined {
  const missing = zones.filter((zone) => !available.includes(zone));
  if (missing.length === 0) return undefined;
  const have = [...available].sort();
  return (
    `${fullKey("availabilityZones")}: this AWS account has no zone ${missing.join(", ")} in ${region}; its zones are ${have.join(", ")}. ` +
    `Fix: pulumi config set --path '${fullKey("availabilityZones")}[0]' ${have[0] ?? "<zone>"} && ` +
    `pulumi config set --path '${fullKey("availabilityZones")}[1]' ${have[1] ?? "<zone>"}`
  );
}

/** The zone's /24 in the VPC: its letter's position (a = 0). Stable whatever else is listed. */
export function zoneSubnetIndex(zone: string): number {
  return zone.charCodeAt(zone.length - 1) - "a".charCodeAt(0);
}

/** One /24 per zone, by letter, sorted by zone; a problem when the VPC is too small for a zone's letter. */
export function planSubnets(vpc: Cidr, zones: readonly string[]): { subnets: SubnetSpec[]; findings: Findings } {
  const findings = new Findings();
  const capacity = 2 ** (SUBNET_PREFIX - vpc.prefix);
  const subnets: SubnetSpec[] = [];
  for (const zone of zones) {
    const index = zoneSubnetIndex(zone);
    if (index >= capacity) {
      findings.problem(
        fullKey("vpcCidr"),
        `${vpc.text} holds ${capacity} /24 subnets (zones a to ${String.fromCharCode(96 + capacity)}); zone ${zone} takes the ${index + 1}th`,
        `pulumi config set ${fullKey("vpcCidr")} ${vpc.address}/${Math.max(16, SUBNET_PREFIX - Math.ceil(Math.log2(index + 1)))}`,
      );
      continue;
    }
    subnets.push({ availabilityZone: zone, cidr: ipv4Subnet(vpc, SUBNET_PREFIX, index) });
  }
  // A set, not a list: sorted, so only the placement (first two listed) depends on the listed order.
  subnets.sort((a, b) => (a.availabilityZone < b.availabilityZone ? -1 : 1));
  return { subnets, findings };
}

export interface Placement {
  /** Host name → its zone. */
  readonly zones: ReadonlyMap<string, string>;
  readonly findings: Findings;
}

/**
 * Where each host runs: the zone pinned in `stakepool:hostZones`, else round-robin over the first two
 * zones listed (the core with relay 1). Pins must name a host of the pool and a listed zone.
 */
export function placeHosts(hostNames: readonly string[], zones: readonly string[], pins: Readonly<Record<string, string>>): Placement {
  const findings = new Findings();
  const setting = fullKey("hostZones");
  const placed = new Map<string, string>();
  for (const [host, zone] of Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!hostNames.includes(host)) {
      findings.problem(`${setting}.${host}`, `names no host of the pool (hosts: ${hostNames.join(", ")})`, `pulumi config rm --path '${setting}.${host}'`);
    } else if (typeof zone !== "string" || !zones.includes(zone)) {
      findings.problem(
        `${setting}.${host}`,
        `is ${JSON.stringify(zone)}, not one of stakepool:availabilityZones (${zones.join(", ")})`,
        `add the zone to stakepool:availabilityZones, or pulumi config set --path '${setting}.${host}' ${zones[0] ?? "<zone>"}`,
      );
    }
  }
  const spread = zones.slice(0, PLACEMENT_ZONES);
  hostNames.forEach((host, i) => {
    // The core (index 0) and relay n (index n) : relay 1 shares the core's zone, relay 2 takes the second.
    const pinned = pins[host];
    const zone = pinned !== undefined && zones.includes(pinned) ? pinned : spread[i === 0 ? 0 : (i - 1) % spread.length];
    if (zone !== undefined) placed.set(host, zone);
  });
  return { zones: placed, findings };
}

/** The static private IP of a host: the core (relay number 0) at offset 10, relay n at 10 + n. */
export function hostAddress(subnet: SubnetSpec, relayNumber: number): string {
  return ipv4HostAt(subnet.cidr, CORE_OFFSET + relayNumber);
}

/** The monitoring host's offset: just below the core's, which no relay can ever take. */
export const MONITOR_OFFSET = CORE_OFFSET - 1;

/** The monitoring host's static private IP in its subnet (offset 9). */
export function monitorAddress(subnet: SubnetSpec): string {
  return ipv4HostAt(subnet.cidr, MONITOR_OFFSET);
}

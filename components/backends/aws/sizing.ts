/**
 * The pool spec, applied to one host size: the floor (4 GiB RAM, 24 GiB data) holds everywhere and
 * cannot be switched off; below the network's recommendation is a warning on testnets and an error on
 * mainnet unless `stakepool:allowBelowRecommended` is true.
 */
import { fullKey } from "../../config/settings";
import { Findings } from "../../config/problems";
import { HARDWARE_FLOOR, type NetworkProfile } from "../../networks/networks";
import type { NodeRole } from "../../model/pool";
import { DEFAULT_INSTANCE_TYPES, INSTANCE_TYPES, KNOWN_FAMILIES, lookupInstanceType, type InstanceTypeInfo } from "./instance-types";

export interface InstanceTypeRequest {
  readonly role: NodeRole;
  /** The setting the instance type came from, for messages. */
  readonly instanceTypeSetting: string;
  readonly instanceType: string;
  readonly network: NetworkProfile;
  readonly allowBelowRecommended: boolean;
}

export interface DataVolumeRequest {
  readonly dataVolumeGiB: number;
  readonly network: NetworkProfile;
  readonly allowBelowRecommended: boolean;
}

function knownTypesHint(): string {
  const x86 = KNOWN_FAMILIES.filter((f) => [...INSTANCE_TYPES.values()].some((t) => t.name.startsWith(`${f}.`) && t.architecture === "x86_64"));
  return `known families: ${x86.join(", ")} (sizes large to 8xlarge; t3/t3a also nano to medium)`;
}

/** Checks one role's instance type; returns its facts when it is usable. */
export function checkInstanceType(req: InstanceTypeRequest): { info: InstanceTypeInfo | undefined; findings: Findings } {
  const findings = new Findings();
  const { network, role } = req;
  const rec = network.recommended;
  const info = lookupInstanceType(req.instanceType);
  const override = fullKey("allowBelowRecommended");
  const fallback = DEFAULT_INSTANCE_TYPES[network.name][role];

  if (!info) {
    findings.problem(
      req.instanceTypeSetting,
      `${JSON.stringify(req.instanceType)} is not in the kit's instance type table, so its memory is unknown; ${knownTypesHint()}`,
      `pulumi config set ${req.instanceTypeSetting} ${fallback}`,
    );
  } else if (info.architecture !== "x86_64") {
    findings.problem(
      req.instanceTypeSetting,
      `${info.name} is an ${info.architecture} (Graviton) type; the kit installs the amd64 cardano-node release`,
      `pulumi config set ${req.instanceTypeSetting} ${fallback}`,
    );
  } else if (info.memoryGiB < HARDWARE_FLOOR.memoryGiB) {
    findings.problem(
      req.instanceTypeSetting,
      `${info.name} has ${info.memoryGiB} GiB RAM; every pool host needs at least ${HARDWARE_FLOOR.memoryGiB} GiB ` +
        `(and ${rec.memoryGiB} GiB on ${network.name})`,
      `pulumi config set ${req.instanceTypeSetting} ${fallback}`,
    );
  } else {
    const shortfalls: string[] = [];
    if (info.memoryGiB < rec.memoryGiB) shortfalls.push(`${info.memoryGiB} GiB RAM (recommended: ${rec.memoryGiB} GiB)`);
    if (info.vcpus < rec.vcpus) shortfalls.push(`${info.vcpus} vCPUs (recommended: ${rec.vcpus})`);
    if (shortfalls.length > 0) {
      const message = `${info.name} has ${shortfalls.join(" and ")} for a ${role} on ${network.name}`;
      if (network.name === "mainnet" && !req.allowBelowRecommended) {
        findings.problem(
          req.instanceTypeSetting,
          `${message}; a mainnet node needs that much to keep up with the chain`,
          `pulumi config set ${req.instanceTypeSetting} ${fallback} ` +
            `(or, knowingly, pulumi config set ${override} true)`,
        );
      } else {
        findings.warn(req.instanceTypeSetting, message);
      }
    }
    if (info.burstable && network.name === "mainnet") {
      findings.warn(
        req.instanceTypeSetting,
        `${info.name} is burstable: its CPU is throttled once credits run out, which a mainnet node's steady load does`,
      );
    }
  }

  return { info: findings.problems.length === 0 ? info : undefined, findings };
}

/** Checks the chain-database volume size against the floor and the network's recommendation. */
export function checkDataVolume(req: DataVolumeRequest): Findings {
  const findings = new Findings();
  const { network } = req;
  const rec = network.recommended;
  const dataSetting = fullKey("dataVolumeGiB");
  const override = fullKey("allowBelowRecommended");
  if (req.dataVolumeGiB < HARDWARE_FLOOR.dataDiskGiB) {
    findings.problem(
      dataSetting,
      `${req.dataVolumeGiB} GiB is below the floor of ${HARDWARE_FLOOR.dataDiskGiB} GiB for the chain database`,
      `pulumi config set ${dataSetting} ${network.defaults.dataDiskGiB}`,
    );
  } else if (req.dataVolumeGiB < rec.dataDiskGiB) {
    const message = `${req.dataVolumeGiB} GiB is below the ${rec.dataDiskGiB} GiB recommended for the chain database on ${network.name}`;
    if (network.name === "mainnet" && !req.allowBelowRecommended) {
      findings.problem(
        dataSetting,
        `${message}; the volume would fill up`,
        `pulumi config set ${dataSetting} ${network.defaults.dataDiskGiB} (or, knowingly, pulumi config set ${override} true)`,
      );
    } else {
      findings.warn(dataSetting, message);
    }
  }
  return findings;
}

/**
 * Memory and vCPUs of the common EC2 instance families, from the AWS instance type documentation
 * (general purpose, compute optimized and memory optimized, current generations). The kit sizes hosts
 * from this table at plan time, so that a plan never needs a cloud account.
 */

import type { NetworkName } from "../../networks/networks";

export type Architecture = "x86_64" | "arm64";

/** The instance types `auto` stands for: what really runs a node on each network (networks.ts `recommended`). */
export const DEFAULT_INSTANCE_TYPES: Readonly<Record<NetworkName, { readonly core: string; readonly relay: string }>> = {
  mainnet: { core: "r6i.xlarge", relay: "r6i.xlarge" },
  preprod: { core: "t3.large", relay: "t3.large" },
  preview: { core: "t3.large", relay: "t3.large" },
};

export interface InstanceTypeInfo {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly architecture: Architecture;
  /** Burstable (T family): CPU credits run out under the sustained load of a mainnet node. */
  readonly burstable: boolean;
}

type SizeTable = Readonly<Record<string, readonly [vcpus: number, memoryGiB: number]>>;

const T_SIZES: SizeTable = {
  nano: [2, 0.5],
  micro: [2, 1],
  small: [2, 2],
  medium: [2, 4],
  large: [2, 8],
  xlarge: [4, 16],
  "2xlarge": [8, 32],
};
const GENERAL_SIZES: SizeTable = {
  large: [2, 8],
  xlarge: [4, 16],
  "2xlarge": [8, 32],
  "4xlarge": [16, 64],
  "8xlarge": [32, 128],
};
const COMPUTE_SIZES: SizeTable = {
  large: [2, 4],
  xlarge: [4, 8],
  "2xlarge": [8, 16],
  "4xlarge": [16, 32],
  "8xlarge": [32, 64],
};
const MEMORY_SIZES: SizeTable = {
  large: [2, 16],
  xlarge: [4, 32],
  "2xlarge": [8, 64],
  "4xlarge": [16, 128],
  "8xlarge": [32, 256],
};

const FAMILIES: ReadonlyArray<readonly [family: string, sizes: SizeTable, arch: Architecture]> = [
  ["t3", T_SIZES, "x86_64"],
  ["t3a", T_SIZES, "x86_64"],
  ["t4g", T_SIZES, "arm64"],
  ["m5", GENERAL_SIZES, "x86_64"],
  ["m5a", GENERAL_SIZES, "x86_64"],
  ["m6i", GENERAL_SIZES, "x86_64"],
  ["m6a", GENERAL_SIZES, "x86_64"],
  ["m7i", GENERAL_SIZES, "x86_64"],
  ["m7a", GENERAL_SIZES, "x86_64"],
  ["m6g", GENERAL_SIZES, "arm64"],
  ["m7g", GENERAL_SIZES, "arm64"],
  ["c5", COMPUTE_SIZES, "x86_64"],
  ["c6i", COMPUTE_SIZES, "x86_64"],
  ["c6a", COMPUTE_SIZES, "x86_64"],
  ["c7i", COMPUTE_SIZES, "x86_64"],
  ["c7a", COMPUTE_SIZES, "x86_64"],
  ["c6g", COMPUTE_SIZES, "arm64"],
  ["c7g", COMPUTE_SIZES, "arm64"],
  ["r5", MEMORY_SIZES, "x86_64"],
  ["r5a", MEMORY_SIZES, "x86_64"],
  ["r6i", MEMORY_SIZES, "x86_64"],
  ["r6a", MEMORY_SIZES, "x86_64"],
  ["r7i", MEMORY_SIZES, "x86_64"],
  ["r7a", MEMORY_SIZES, "x86_64"],
  ["r6g", MEMORY_SIZES, "arm64"],
  ["r7g", MEMORY_SIZES, "arm64"],
];

function buildTable(): ReadonlyMap<string, InstanceTypeInfo> {
  const table = new Map<string, InstanceTypeInfo>();
  for (const [family, sizes, architecture] of FAMILIES) {
    for (const [size, [vcpus, memoryGiB]] of Object.entries(sizes)) {
      const name = `${family}.${size}`;
      table.set(name, { name, vcpus, memoryGiB, architecture, burstable: family.startsWith("t") });
    }
  }
  return table;
}

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeInfo> = buildTable();

export const KNOWN_FAMILIES: readonly string[] = FAMILIES.map(([family]) => family);

export function lookupInstanceType(name: string): InstanceTypeInfo | undefined {
  return INSTANCE_TYPES.get(name);
}

/**
 * Every `stakepool:` setting the kit reads, declared once: its Pulumi config type, its default, its
 * description, an example for error messages, and the schema its value must satisfy.
 * `Pulumi.yaml` declares the same keys; a test keeps the two in step.
 */
import { z } from "zod";
import { NETWORK_NAMES } from "../networks/networks";

export const PROJECT = "stakepool";

/** The types Pulumi project config can declare. */
export type SettingType = "string" | "integer" | "boolean" | "array";

export interface SettingSpec<S extends z.ZodType = z.ZodType> {
  readonly type: SettingType;
  readonly description: string;
  /** Absent means required: Pulumi (and the plan) refuse to run without a value. */
  readonly default?: string | number | boolean | readonly string[];
  /** Must be set with `pulumi config set --secret`. */
  readonly secret?: boolean;
  /** A value an operator could type, used in the fix of an error message. */
  readonly example: string;
  readonly schema: S;
}

function spec<S extends z.ZodType>(s: SettingSpec<S>): SettingSpec<S> {
  return s;
}

const AUTO = "auto";
const instanceTypeSchema = z
  .string()
  .regex(/^(auto|[a-z][a-z0-9-]*\.[a-z0-9]+)$/, { error: 'must be an EC2 instance type such as "r6i.xlarge", or "auto"' });

export const SETTINGS = {
  network: spec({
    type: "string",
    description: "The Cardano network the pool runs on: mainnet, preprod or preview.",
    example: "preview",
    schema: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(", ")}` }),
  }),
  relays: spec({
    type: "integer",
    description: "Number of relays (each on its own server, with an Elastic IP). The pool registers all of them.",
    default: 2,
    example: "2",
    schema: z
      .number()
      .int()
      .min(1, { error: "a pool needs at least 1 relay: the core never talks to the network directly" })
      .max(20, { error: "the kit deploys at most 20 relays per pool" }),
  }),
  adminCidrs: spec({
    type: "array",
    description:
      "Networks allowed to SSH to the relays (and through them to the core), e.g. your office /32. " +
      "The machine that runs `pulumi up` must be inside one of them: the kit copies files over SSH.",
    example: "203.0.113.7/32",
    schema: z
      .array(z.string(), { error: "must be a list of CIDRs" })
      .min(1, { error: "at least one admin CIDR is needed to administer the pool" }),
  }),
  sshPublicKey: spec({
    type: "string",
    description: "The operator's SSH public key (OpenSSH format, ssh-ed25519 or ssh-rsa), installed on every host.",
    example: '"$(cat ~/.ssh/id_ed25519.pub)"',
    schema: z.string().trim().min(1, { error: "is empty" }),
  }),
  availabilityZones: spec({
    type: "array",
    description:
      "Availability zones to spread hosts over (at least two). Empty: the region's zones a and b. " +
      "The core goes to the first zone in sorted order; relays go round-robin.",
    default: [],
    example: "us-east-1a",
    schema: z.array(z.string(), { error: "must be a list of zone names" }),
  }),
  vpcCidr: spec({
    type: "string",
    description: "Private IPv4 range of the pool's VPC (/16 to /22, RFC 1918). Each zone gets one /24 of it.",
    default: "10.30.0.0/16",
    example: "10.30.0.0/16",
    schema: z.string(),
  }),
  coreInstanceType: spec({
    type: "string",
    description: 'EC2 instance type of the core. "auto": r6i.xlarge on mainnet, t3.large on testnets.',
    default: AUTO,
    example: "r6i.xlarge",
    schema: instanceTypeSchema,
  }),
  relayInstanceType: spec({
    type: "string",
    description: 'EC2 instance type of every relay. "auto": r6i.xlarge on mainnet, t3.large on testnets.',
    default: AUTO,
    example: "r6i.xlarge",
    schema: instanceTypeSchema,
  }),
  dataVolumeGiB: spec({
    type: "integer",
    description: "Size of each host's chain-database volume in GiB. 0: 350 on mainnet, 50 on testnets.",
    default: 0,
    example: "350",
    schema: z.number().int().min(0, { error: "must be 0 (the network's default) or a size in GiB" }).max(16384, {
      error: "gp3 volumes hold at most 16384 GiB",
    }),
  }),
  rootVolumeGiB: spec({
    type: "integer",
    description: "Size of each host's root volume (OS, node binaries, logs) in GiB.",
    default: 20,
    example: "20",
    schema: z
      .number()
      .int()
      .min(12, { error: "the OS, two node releases side by side and logs need at least 12 GiB" })
      .max(1024, { error: "must be at most 1024 GiB; the chain lives on the data volume" }),
  }),
  ami: spec({
    type: "string",
    description:
      "AMI id of Ubuntu 24.04 LTS amd64 for the stack's region. Empty: looked up at the first deploy " +
      "(Canonical's newest) and then kept, so a new image never replaces a server.",
    default: "",
    example: "ami-0123456789abcdef0",
    schema: z.string().regex(/^(|ami-[0-9a-f]{8,17})$/, { error: 'must be an AMI id like "ami-0123456789abcdef0", or empty' }),
  }),
  allowBelowRecommended: spec({
    type: "boolean",
    description:
      "Accept hosts below the network's recommended size on mainnet (24 GiB RAM, 300 GiB data, 4 vCPUs). " +
      "The floor of 4 GiB RAM and 24 GiB data always holds.",
    default: false,
    example: "true",
    schema: z.boolean(),
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

export type Settings = { readonly [K in SettingKey]: z.output<(typeof SETTINGS)[K]["schema"]> };

export const AUTO_VALUE = AUTO;

export function fullKey(key: string): string {
  return `${PROJECT}:${key}`;
}

/**
 * Every `stakepool:` setting the kit reads, declared once: its Pulumi config type, its default, its
 * description, an example for error messages, and the schema its value must satisfy.
 * `Pulumi.yaml` declares the same keys; a test keeps the two in step.
 */
import { z } from "zod";
import { NETWORK_NAMES } from "../networks/networks";
import { isReleaseVersion } from "../networks/releases";
import { lovelaceSchema, marginSchema } from "./pool-numbers";

export const PROJECT = "stakepool";

/**
 * The types Pulumi project config can declare, plus "object" (a YAML mapping in the stack file, which
 * Pulumi passes as JSON; declarable in Pulumi.yaml only since CLI 3.187, so the kit does not), and "records"
 * (a YAML list of mappings, undeclared for the same reason).
 */
export type SettingType = "string" | "integer" | "boolean" | "array" | "object" | "records";

export interface SettingSpec<S extends z.ZodType = z.ZodType> {
  readonly type: SettingType;
  readonly description: string;
  /** Absent means required: Pulumi (and the plan) refuse to run without a value. */
  readonly default?: string | number | boolean | readonly string[] | Readonly<Record<string, never>>;
  /**
   * Must be set with `pulumi config set --secret`. The program refuses such a setting in plain text; it is
   * not declared in Pulumi.yaml (see `declaredInProject`).
   */
  readonly secret?: boolean;
  /** A value an operator could type, used in the fix of an error message. */
  readonly example: string;
  readonly schema: S;
}

function spec<S extends z.ZodType>(s: SettingSpec<S>): SettingSpec<S> {
  return s;
}

const AUTO = "auto";
/** A release tag the node scripts accept (no slash, no shell syntax): the scripts' own rule. */
const releaseTag = (example: string) => z.string().refine(isReleaseVersion, { error: `must be a release tag such as "${example}"` });
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
  backend: spec({
    type: "string",
    description:
      "Where the pool runs: aws (the kit creates the servers, their network and firewalls in an AWS account) or ssh " +
      "(servers you already have, listed in stakepool:servers, which the kit reaches over SSH).",
    default: "aws",
    example: "ssh",
    schema: z.enum(["aws", "ssh"], { error: "must be aws or ssh" }),
  }),
  servers: spec({
    type: "records",
    description:
      "With stakepool:backend ssh: your servers, one core and its relays, each a mapping of name, role, address, " +
      "publicAddress, privateAddress, sshUser, sshPort, hostKey, memoryGiB, dataDiskGiB and dataDevice (a list in the stack file).",
    default: [],
    example: "name core",
    schema: z.array(z.unknown(), { error: "must be a list of servers" }),
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
    description:
      "AWS: the operator's SSH public key (OpenSSH format, ssh-ed25519 or ssh-rsa), the only key of every host's login user. " +
      "Required on AWS; your own servers keep the keys you gave them.",
    default: "",
    example: '"$(cat ~/.ssh/id_ed25519.pub)"',
    schema: z.string(),
  }),
  availabilityZones: spec({
    type: "array",
    description:
      "Availability zones of the pool (at least two; each gets the VPC's /24 of its letter). Empty: the region's " +
      "zones a and b. Hosts not pinned in stakepool:hostZones go round-robin over the first two listed, the core " +
      "with relay 1; add zones at the end: a further zone moves no host.",
    default: [],
    example: "us-east-1a",
    schema: z.array(z.string(), { error: "must be a list of zone names" }),
  }),
  hostZones: spec({
    type: "object",
    description:
      "Pins hosts to zones, e.g. relay-3: us-east-2c (a mapping in the stack file). Moving a running host to " +
      "another zone replaces its server and its data volume.",
    default: {},
    example: "relay-3 us-east-2c",
    schema: z.record(z.string(), z.string({ error: "must be a zone name" }), { error: "must be a mapping of host name to zone" }),
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
  relayConnectionLimit: spec({
    type: "integer",
    description:
      "Concurrent connections one address may hold to a relay's node port (IPv6: per /64). 10 covers several " +
      "relays behind one NAT address; the node itself accepts at most 512 in all.",
    default: 10,
    example: "10",
    schema: z.number().int().min(1, { error: "must be at least 1" }).max(512, { error: "must be at most 512, the node's own limit" }),
  }),
  nodeVersion: spec({
    type: "string",
    description:
      "The cardano-node release every host runs (never 11.1.2, which broke IPv4 relay decoding). Changing it " +
      "upgrades the hosts one at a time, relays first, without replacing them.",
    default: "11.1.3",
    example: "11.1.3",
    schema: releaseTag("11.1.3"),
  }),
  nodeSha256: spec({
    type: "string",
    description:
      "SHA-256 of the release's Linux tarball, from the release's sha256sums.txt. Required on mainnet; on " +
      "testnets the kit's own pin for its default release is used when empty.",
    default: "",
    example: "<64 hex digits from cardano-node-<version>-sha256sums.txt>",
    schema: z.string().regex(/^(|[0-9a-fA-F]{64})$/, { error: "must be 64 hex digits (a SHA-256), or empty" }),
  }),
  mithrilBootstrap: spec({
    type: "boolean",
    description: "Fill an empty chain-data volume from a Mithril snapshot (minutes) instead of syncing from genesis (days).",
    default: true,
    example: "true",
    schema: z.boolean(),
  }),
  mithrilVersion: spec({
    type: "string",
    description: "The Mithril distribution whose mithril-client restores the chain database.",
    default: "2630.0",
    example: "2630.0",
    // Unquoted in a stack file, 2630.0 reaches the program as "2630" (the Pulumi CLI reads it as a number:
    // cli/plan/stack-file.ts), a distribution that does not exist; the failure would come at first boot.
    schema: releaseTag("2630.0").refine((v) => !/^[0-9]+$/.test(v), {
      error: 'is a bare number: Mithril distributions are named like "2630.0"; quote it in the stack file (unquoted, 2630.0 reaches the program as 2630)',
    }),
  }),
  mithrilSha256: spec({
    type: "string",
    description:
      "SHA-256 of the Mithril distribution's linux-x64 tarball. Required on mainnet when mithrilBootstrap is " +
      "true or a Mithril signer runs; on testnets the kit's own pin for its default release is used when empty.",
    default: "",
    example: "<64 hex digits>",
    schema: z.string().regex(/^(|[0-9a-fA-F]{64})$/, { error: "must be 64 hex digits (a SHA-256), or empty" }),
  }),
  mithrilSigner: spec({
    type: "string",
    description:
      'Run a Mithril signer on the core, reaching the aggregator only through a forward proxy on the first two relays. ' +
      '"auto": on for mainnet when the hot keys are set, off elsewhere; "true" needs the hot keys; "false": off.',
    default: AUTO,
    example: "true",
    schema: z.enum([AUTO, "true", "false"], { error: 'must be "auto", "true" or "false"' }),
  }),
  peerCount: spec({
    type: "integer",
    description: "Community peers per relay, chosen from the big-ledger peer snapshot (20 or more).",
    default: 20,
    example: "20",
    schema: z.number().int().min(20, { error: "must be at least 20: a relay needs 20 or more other pools' relays" }).max(100, {
      error: "must be at most 100",
    }),
  }),
  peerSnapshotFile: spec({
    type: "string",
    description:
      "A fresher big-ledger peer snapshot (output of `cardano-cli query ledger-peer-snapshot`), relative to the " +
      "project. Empty: the official snapshot of the network shipped with the kit.",
    default: "",
    example: "peers/mainnet-snapshot.json",
    schema: z.string(),
  }),
  extraPeers: spec({
    type: "array",
    description: 'Peers every relay keeps in addition to the chosen ones, as "host:port" ("[ipv6]:port").',
    default: [],
    example: "relay.friend.example.org:3001",
    schema: z.array(z.string(), { error: "must be a list of host:port" }),
  }),
  peerSeed: spec({
    type: "string",
    description:
      "Any text unique to your pool; it spreads your relays' choice of peers away from other pools'. " +
      "Empty: your metadata ticker.",
    default: "",
    example: "MYPOOL",
    schema: z.string(),
  }),
  kesSigningKey: spec({
    type: "string",
    description: "The core's KES signing key (kes.skey text envelope). Set it with --secret, from the file.",
    default: "",
    secret: true,
    example: "< kes.skey",
    schema: z.string(),
  }),
  vrfSigningKey: spec({
    type: "string",
    description: "The core's VRF signing key (vrf.skey text envelope). Set it with --secret, from the file.",
    default: "",
    secret: true,
    example: "< vrf.skey",
    schema: z.string(),
  }),
  operationalCertificate: spec({
    type: "string",
    description: "The core's operational certificate (node.cert text envelope), issued on the offline machine.",
    default: "",
    example: "< node.cert",
    schema: z.string(),
  }),
  allowExpiredOpcert: spec({
    type: "boolean",
    description: "Deploy even with an expired operational certificate (recovery only: the core cannot forge with it).",
    default: false,
    example: "true",
    schema: z.boolean(),
  }),
  monitoring: spec({
    type: "boolean",
    description:
      "A monitoring host in the pool (Prometheus, Alertmanager, Grafana; AWS: a t3.small, on your own servers: the " +
      "server with role monitor) scraping every host, with alerts to the stakepool:alert* channels. Needs at least one channel.",
    default: true,
    example: "false",
    schema: z.boolean(),
  }),
  alertEmail: spec({
    type: "string",
    description:
      "Email for the monitoring's alerts (AWS: through an SNS topic, confirm its subscription email; own servers: through " +
      "stakepool:alertSmtpHost) and, on AWS, reminders 14 and 3 days before the operational certificate expires. Empty: none.",
    default: "",
    example: "ops@example.com",
    // Plain ASCII addresses only: the address is printed in the plan and handed to SNS.
    schema: z.string().regex(/^(|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$/, { error: "must be an email address (letters, digits and ._%+- before the @, a domain after it), or empty" }),
  }),
  alertSmtpHost: spec({
    type: "string",
    description: "The mail relay alert emails go through, host:port (587 with STARTTLS). Needed for alertEmail on your own servers; on AWS it replaces SNS.",
    default: "",
    example: "smtp.example.org:587",
    schema: z.string(),
  }),
  alertSmtpFrom: spec({
    type: "string",
    description: "The sender address of alert emails, one the mail relay accepts. Needed with alertSmtpHost.",
    default: "",
    example: "alerts@example.org",
    schema: z.string(),
  }),
  alertSmtpUser: spec({
    type: "string",
    description: "The mail relay's login, with alertSmtpPassword. Empty: a relay without authentication.",
    default: "",
    example: "alerts@example.org",
    schema: z.string(),
  }),
  alertSmtpPassword: spec({
    type: "string",
    description: "The mail relay's password. Set it with --secret; it lands on the monitoring host only, readable by Alertmanager.",
    default: "",
    secret: true,
    example: "<password>",
    schema: z.string(),
  }),
  alertTelegramChatId: spec({
    type: "string",
    description: "A Telegram chat (its numeric id, negative for groups) that gets the alerts, with alertTelegramBotToken.",
    default: "",
    example: "-1001234567890",
    schema: z.string(),
  }),
  alertTelegramBotToken: spec({
    type: "string",
    description: "The Telegram bot's token (from BotFather). Set it with --secret; it lands on the monitoring host only.",
    default: "",
    secret: true,
    example: "<bot id>:<secret>",
    schema: z.string(),
  }),
  alertWebhookUrl: spec({
    type: "string",
    description: "An https URL that gets every alert as Alertmanager's webhook JSON (a chat bridge, a pager).",
    default: "",
    example: "https://hooks.example.org/cardano",
    schema: z.string(),
  }),
  alertHeartbeatUrl: spec({
    type: "string",
    description:
      "A dead-man service's URL (healthchecks.io and the like, period 5 min, grace 5 min) that the always-firing " +
      "Watchdog pings every 5 minutes: it tells you when the monitoring itself is gone.",
    default: "",
    example: "https://hc-ping.com/<uuid>",
    schema: z.string(),
  }),
  metadata: spec({
    type: "object",
    description:
      "Pool metadata: name, ticker, description, homepage, and optionally the CIP-6 keys extDataUrl, extSigUrl, extVkey.",
    default: {},
    example: "ticker MYPOOL",
    schema: z.record(z.string(), z.unknown(), { error: "must be a mapping of metadata fields" }),
  }),
  hostMetadata: spec({
    type: "boolean",
    description: "Serve the metadata file from an S3 bucket the kit creates. Otherwise host it yourself at stakepool:metadataUrl.",
    default: false,
    example: "true",
    schema: z.boolean(),
  }),
  metadataBucket: spec({
    type: "string",
    description:
      "Name of the S3 bucket that serves the metadata when hostMetadata is true (globally unique, no dots). " +
      "Empty: <ticker>-<network>-meta.",
    default: "",
    example: "mypool-meta",
    schema: z.string(),
  }),
  metadataUrl: spec({
    type: "string",
    description: "Where the metadata file is served (at most 64 bytes). With hostMetadata, a custom domain in front of the bucket.",
    default: "",
    example: "https://pool.example.com/meta.json",
    schema: z.string(),
  }),
  dnsZone: spec({
    type: "string",
    description: "A Route53 hosted zone (e.g. pool.example.com): each relay gets relay-<n>.<zone>, registered on chain by name.",
    default: "",
    example: "pool.example.com",
    schema: z.string(),
  }),
  pledge: spec({
    type: "string",
    description: "Pledge in lovelace for the registration command. Empty: a placeholder.",
    default: "",
    example: "100000000000",
    schema: lovelaceSchema(),
  }),
  cost: spec({
    type: "string",
    description: "Fixed cost per epoch in lovelace for the registration command. Empty: a placeholder.",
    default: "",
    example: "170000000",
    schema: lovelaceSchema(),
  }),
  margin: spec({
    type: "string",
    description: "Margin, a fraction between 0 and 1, for the registration command. Empty: a placeholder.",
    default: "",
    example: "0.01",
    schema: marginSchema(),
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;

export type Settings = { readonly [K in SettingKey]: z.output<(typeof SETTINGS)[K]["schema"]> };

export const AUTO_VALUE = AUTO;

export function fullKey(key: string): string {
  return `${PROJECT}:${key}`;
}

/**
 * Whether Pulumi.yaml declares the setting. Not a mapping (see SettingType), and not an optional secret:
 * the CLI merges a declared default as plain text and then refuses it for a `secret: true` key ("must be
 * encrypted as it's secret", pulumi pkg/workspace/config.go validateStackConfigValue; pulumi/pulumi#21865),
 * and a declared key without a default is required of every stack. The program applies `default` itself
 * when the runtime has no value, so an unset hot key reads as "".
 */
export function declaredInProject(spec: SettingSpec): boolean {
  return spec.type !== "object" && spec.type !== "records" && !(spec.secret && spec.default !== undefined);
}

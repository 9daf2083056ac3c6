/**
 * Hostile operator input, as a careless operator or an attacker with write access to a stack file would
 * type it: one row per case, with what the kit must do (refuse or warn), the setting it must name and,
 * where the value is a secret, the text that must never be echoed. Read by census.ts, which runs every
 * row through the kit's real `loadPool` (the function the program and the plan call first).
 */
import { COLD_SKEY, KES_SKEY, VRF_SKEY } from "../helpers/hot-keys";
import { COLD_SEED_HEX, COLD_SKEY_CBOR_HEX, opcertOfColdSkey } from "../helpers/cold";
import type { ConfigValues } from "../helpers/config";

export type Area = "out-dir" | "shell safety" | "admin ranges" | "cold material" | "text fields" | "numbers";
export type Network = "mainnet" | "preprod" | "preview";

export interface ConfigCase {
  readonly id: string;
  readonly area: Area;
  readonly network: Network;
  /** Overrides of a valid stack (keys without a namespace are stakepool settings). */
  readonly values: ConfigValues;
  /** Settings removed from the valid stack. */
  readonly drop?: readonly string[];
  /** The Pulumi stack name (default "t"). */
  readonly stack?: string;
  readonly expect: "refuse" | "warn";
  /** The problem (or warning) must name a setting that starts with this. */
  readonly setting: string;
  /** And its message (with the fix) must match this, when the wording is what makes it clear. */
  readonly says?: RegExp;
  /** Text that must appear nowhere in what the kit prints (a secret). */
  readonly secret?: string;
  /**
   * Text the operator controls that a printed fix must pass intact as one argument of `pulumi config`
   * (checked by running the fix's command in bash with a stub `pulumi`).
   */
  readonly fixArgument?: string;
  /** When accepted (the kit may rightly accept it), the registration command it prints must be shell-safe. */
  readonly mayAccept?: boolean;
}

// Preview, 2026-11-21T12:00:00Z: KES period 992 (see test/pool/identity-refusals.test.ts).
export const NOW = new Date("2026-11-21T12:00:00Z");
const PERIOD = 992;
/** A forging core whose certificate was issued by cold.skey: the cold key the kit must recognise. */
const FORGING = { kesSigningKey: KES_SKEY, vrfSigningKey: VRF_SKEY, operationalCertificate: opcertOfColdSkey(PERIOD) };
const META = { name: "Test Pool", ticker: "TPL", description: "A pool.", homepage: "https://example.com" };
const URL_OK = "https://pool.example.com/p.json";
const meta = (fields: Record<string, unknown>, extra: ConfigValues = {}): ConfigValues => ({
  metadata: JSON.stringify({ ...META, ...fields }),
  metadataUrl: URL_OK,
  ...extra,
});
/** 32 bytes that are not an Ed25519 point (sha256 of "stakepool-kit not a point 4"): no verification key has them. */
export const NOT_A_POINT_HEX = "6710c55e81aac37bb2558288d49bcf0d2dfbbfc43af2227eea372d8afda443dd";
const EXT = { extDataUrl: "https://pool.example.com/x.json", extSigUrl: "https://pool.example.com/x.sig" };
const addresses = (n: number, base = 1): string[] => Array.from({ length: n }, (_, i) => `198.51.${Math.floor((base + i) / 256) % 256}.${(base + i) % 256}/32`);

const ADMIN_ROWS: ReadonlyArray<readonly [string, Network, string[], "refuse" | "warn"]> = [
  ["two halves of IPv4", "mainnet", ["0.0.0.0/1", "128.0.0.0/1"], "refuse"],
  ["four quarters of IPv4", "mainnet", ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], "refuse"],
  ["the whole internet", "mainnet", ["0.0.0.0/0"], "refuse"],
  ["a /8", "mainnet", ["1.0.0.0/8"], "refuse"],
  ["a /15", "mainnet", ["203.0.0.0/15"], "refuse"],
  ["two /16s", "mainnet", ["198.51.0.0/16", "203.0.0.0/16"], "refuse"],
  ["three adjacent /17s", "mainnet", ["203.0.0.0/17", "203.0.128.0/17", "203.1.0.0/17"], "refuse"],
  ["a /16 and 300 hosts beside it", "mainnet", ["203.0.0.0/16", ...addresses(300)], "refuse"],
  ["two halves of IPv4 on preview", "preview", ["0.0.0.0/1", "128.0.0.0/1"], "warn"],
  ["a /8 on preprod", "preprod", ["1.0.0.0/8"], "warn"],
  ["IPv6 2000::/3", "mainnet", ["2000::/3"], "refuse"],
  ["IPv6 ::/0", "mainnet", ["::/0"], "refuse"],
  ["IPv6 /32 on preview", "preview", ["2001:db8::/32"], "refuse"],
  ["one IPv6 host on preprod", "preprod", ["2001:db8::1/128"], "refuse"],
  ["IPv6 beside IPv4", "preview", ["203.0.113.7/32", "2001:db8::7/128"], "refuse"],
  ["IPv4-mapped IPv6", "preview", ["::ffff:203.0.113.7/128"], "refuse"],
  ["IPv6 link-local", "preview", ["fe80::/10"], "refuse"],
  ["IPv6 loopback", "preview", ["::1/128"], "refuse"],
  ["loopback host", "mainnet", ["127.0.0.1/32"], "refuse"],
  ["loopback /8", "preview", ["127.0.0.0/8"], "refuse"],
  ["instance metadata address", "preview", ["169.254.169.254/32"], "refuse"],
  ["link-local /16", "preprod", ["169.254.0.0/16"], "refuse"],
  ["multicast host", "preview", ["224.0.0.1/32"], "refuse"],
  ["multicast /8", "mainnet", ["239.0.0.0/8"], "refuse"],
  ["limited broadcast", "preview", ["255.255.255.255/32"], "refuse"],
  ["reserved 240/4", "preview", ["240.0.0.0/4"], "refuse"],
  ["this-network 0/8", "preview", ["0.0.0.0/8"], "refuse"],
  ["the unspecified address", "preview", ["0.0.0.0/32"], "refuse"],
  ["carrier-grade NAT space", "preview", ["100.64.0.1/32"], "refuse"],
  ["the pool's own VPC", "preview", ["10.30.0.0/16"], "refuse"],
  ["a host inside the VPC", "mainnet", ["10.30.1.10/32"], "refuse"],
  ["a private /8 around the VPC", "preview", ["10.0.0.0/8"], "refuse"],
  ["60 admin hosts (over the rule quota)", "preview", addresses(60), "refuse"],
  ["100 admin hosts", "mainnet", addresses(100), "refuse"],
];
const ADMIN: ConfigCase[] = ADMIN_ROWS.map(([what, network, adminCidrs, expect]) => ({
  id: `admin: ${what}`,
  area: "admin ranges",
  network,
  values: { adminCidrs },
  expect,
  setting: "stakepool:adminCidrs",
}));
ADMIN.push({
  id: "admin: a range inside a custom VPC",
  area: "admin ranges",
  network: "preview",
  values: { vpcCidr: "192.168.0.0/16", adminCidrs: ["192.168.5.0/24"] },
  expect: "refuse",
  setting: "stakepool:adminCidrs",
});

const COLD_ROWS: ReadonlyArray<readonly [string, ConfigValues, string]> = [
  ["as metadata.extVkey (CBOR)", meta({ ...EXT, extVkey: COLD_SKEY_CBOR_HEX }, FORGING), "stakepool:metadata"],
  ["as metadata.extVkey, upper case", meta({ ...EXT, extVkey: COLD_SKEY_CBOR_HEX.toUpperCase() }, FORGING), "stakepool:metadata"],
  ["as peerSeed (CBOR)", { ...FORGING, peerSeed: COLD_SKEY_CBOR_HEX }, "stakepool:peerSeed"],
  ["as peerSeed (bare hex)", { ...FORGING, peerSeed: COLD_SEED_HEX }, "stakepool:peerSeed"],
  ["inside peerSeed's text", { ...FORGING, peerSeed: `my pool ${COLD_SEED_HEX} seed` }, "stakepool:peerSeed"],
  ["as peerSeed, upper case", { ...FORGING, peerSeed: COLD_SEED_HEX.toUpperCase() }, "stakepool:peerSeed"],
  ["inside metadata.description", meta({ description: `key=${COLD_SEED_HEX}` }, FORGING), "stakepool:metadata"],
  ["as metadata.name", meta({ name: COLD_SEED_HEX }, FORGING), "stakepool:metadata"],
  ["inside metadata.homepage", meta({ homepage: `https://example.com/${COLD_SEED_HEX}` }, FORGING), "stakepool:metadata"],
  ["as metadataBucket", { ...FORGING, ...meta({}), hostMetadata: true, metadataBucket: COLD_SEED_HEX }, "stakepool:metadataBucket"],
  ["inside alertEmail", { ...FORGING, alertEmail: `${COLD_SEED_HEX}@example.com` }, "stakepool:alertEmail"],
  ["inside dnsZone", { ...FORGING, dnsZone: `${COLD_SEED_HEX}.example.com` }, "stakepool:dnsZone"],
  ["inside extraPeers", { ...FORGING, extraPeers: [`${COLD_SEED_HEX}.example.com:3001`] }, "stakepool:extraPeers"],
  ["under a made-up setting", { ...FORGING, "stakepool:backupKey": COLD_SEED_HEX }, "stakepool:backupKey"],
  ["under another namespace", { ...FORGING, "aws:coldKey": COLD_SKEY_CBOR_HEX }, "aws:coldKey"],
  ["as the KES key, bare", { ...FORGING, kesSigningKey: COLD_SKEY_CBOR_HEX }, "stakepool:kesSigningKey"],
  ["as the VRF key, bare", { ...FORGING, vrfSigningKey: COLD_SEED_HEX }, "stakepool:vrfSigningKey"],
  ["inside sshPublicKey", { ...FORGING, sshPublicKey: `ssh-ed25519 ${COLD_SEED_HEX}` }, "stakepool:sshPublicKey"],
  ["as the AMI", { ...FORGING, ami: COLD_SEED_HEX }, "stakepool:ami"],
  ["as nodeSha256 (same shape as a digest)", { ...FORGING, nodeSha256: COLD_SEED_HEX }, "stakepool:nodeSha256"],
  ["as mithrilSha256", { ...FORGING, mithrilSha256: COLD_SEED_HEX }, "stakepool:mithrilSha256"],
  ["as adminCidrs[0]", { ...FORGING, adminCidrs: [COLD_SEED_HEX] }, "stakepool:adminCidrs"],
  ["whole envelope in peerSeed", { ...FORGING, peerSeed: COLD_SKEY }, "stakepool:peerSeed"],
];
const COLD: ConfigCase[] = COLD_ROWS.map(([what, values, setting]) => ({
  id: `cold: ${what}`,
  area: "cold material",
  network: "preview",
  values,
  expect: "refuse",
  setting,
  says: /cold signing key/,
  secret: COLD_SEED_HEX,
}));
COLD.push({
  id: "cold: a 68-hex extVkey that is no Ed25519 point, without a certificate",
  area: "cold material",
  network: "preview",
  values: meta({ ...EXT, extVkey: `5820${NOT_A_POINT_HEX}` }),
  expect: "refuse",
  setting: "stakepool:metadata.extVkey",
  says: /verification key/,
  secret: NOT_A_POINT_HEX,
});
COLD.push({
  id: "cold: an extVkey with a 64-byte CBOR header (an extended or signing key)",
  area: "cold material",
  network: "preview",
  values: meta({ ...EXT, extVkey: `5840${COLD_SEED_HEX}` }),
  expect: "refuse",
  setting: "stakepool:metadata.extVkey",
  secret: COLD_SEED_HEX,
});

const BAD_CHARACTERS: ReadonlyArray<readonly [string, string]> = [
  ["right-to-left override U+202E", "\u202e"],
  ["left-to-right embedding U+202A", "\u202a"],
  ["pop directional formatting U+202C", "\u202c"],
  ["first strong isolate U+2068", "\u2068"],
  ["left-to-right isolate U+2066", "\u2066"],
  ["pop directional isolate U+2069", "\u2069"],
  ["zero-width space U+200B", "\u200b"],
  ["zero-width joiner U+200D", "\u200d"],
  ["word joiner U+2060", "\u2060"],
  ["byte-order mark U+FEFF", "\ufeff"],
  ["ANSI colour escape", "\u001b[31m"],
  ["NUL", "\u0000"],
  ["line feed", "\n"],
  ["carriage return", "\r"],
  ["bell", "\u0007"],
  ["C1 control CSI U+009B", "\u009b"],
  ["next line U+0085", "\u0085"],
  ["line separator U+2028", "\u2028"],
  ["lone surrogate", "\ud800"],
  ["invisible tag character U+E0041", "\u{e0041}"],
];

const TEXT: ConfigCase[] = [
  ...BAD_CHARACTERS.map(([what, c]): ConfigCase => ({
    id: `text: metadata.name with ${what}`,
    area: "text fields",
    network: "preview",
    values: meta({ name: `Good${c}Pool` }),
    expect: "refuse",
    setting: "stakepool:metadata",
  })),
  ...BAD_CHARACTERS.filter((_, i) => i % 3 === 0).map(([what, c]): ConfigCase => ({
    id: `text: metadata.description with ${what}`,
    area: "text fields",
    network: "preview",
    values: meta({ description: `A fine ${c}pool.` }),
    expect: "refuse",
    setting: "stakepool:metadata",
  })),
  ...BAD_CHARACTERS.filter((_, i) => i % 4 === 1).map(([what, c]): ConfigCase => ({
    id: `text: peerSeed with ${what}`,
    area: "text fields",
    network: "preview",
    values: { peerSeed: `seed${c}x` },
    expect: "refuse",
    setting: "stakepool:peerSeed",
  })),
  ...([
    ["a ticker with a zero-width space", meta({ ticker: "T\u200bPL" }), "stakepool:metadata.ticker"],
    ["a ticker with a Cyrillic letter", meta({ ticker: "\u0422PL" }), "stakepool:metadata.ticker"],
    ["HTML in the homepage", meta({ homepage: 'https://e.io/"><script>alert(1)</script>' }), "stakepool:metadata.homepage"],
    ["an attribute break-out in the homepage", meta({ homepage: "https://e.io/'onmouseover='alert(1)" }), "stakepool:metadata.homepage"],
    ["javascript: as the homepage", meta({ homepage: "javascript:alert(1)" }), "stakepool:metadata.homepage"],
    ["a data: URL as the homepage", meta({ homepage: "data:text/html,<script>alert(1)</script>" }), "stakepool:metadata.homepage"],
    ["template braces in the homepage", meta({ homepage: "https://e.io/{{constructor.constructor('x')()}}" }), "stakepool:metadata.homepage"],
    ["a backslash host trick in the homepage", meta({ homepage: "https://e.io\\@evil.example/" }), "stakepool:metadata.homepage"],
    ["HTML in extDataUrl", meta({ ...EXT, extDataUrl: 'https://e.io/"><svg/onload=alert(1)>', extVkey: `5820${"11".repeat(32)}` }), "stakepool:metadata.extDataUrl"],
    ["a backtick in extSigUrl", meta({ ...EXT, extSigUrl: "https://e.io/`id`", extVkey: `5820${"11".repeat(32)}` }), "stakepool:metadata.extSigUrl"],
    ["a bidi override in alertEmail", { alertEmail: "ops@example.com\u202e" }, "stakepool:alertEmail"],
    ["command substitution in alertEmail", { alertEmail: "$(touch${IFS}pwned)@example.com" }, "stakepool:alertEmail"],
    ["an escape sequence in sshPublicKey's comment", { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBv32qnzTka+QThxUJW5I3xCwGjEc+LPhxgnsNIKjMVv a\u001b]0;pwned\u0007b" }, "stakepool:sshPublicKey"],
    ["a zero-width space in dnsZone", { dnsZone: "pool.example.com\u200b" }, "stakepool:dnsZone"],
    ["a bidi override in metadataBucket", { ...meta({}), hostMetadata: true, metadataBucket: "tpl\u202emeta" }, "stakepool:metadataBucket"],
    ["an escape sequence in the region", { "aws:region": "us-east-2\u001b[2J" }, "aws:region"],
    ["a bidi override in the region", { "aws:region": "us-east-2\u202e" }, "aws:region"],
    ["an escape sequence in nodeVersion", { nodeVersion: "11.1.3\u001b[2J" }, "stakepool:nodeVersion"],
    ["an escape sequence in a setting's name", { "stakepool:relays\u001b[2J": "2" }, "stakepool:relays"],
    ["a bidi override in a setting's name", { "stakepool:peer\u202eSeed": "x" }, "stakepool:peer"],
    ["an escape sequence in a metadata field's name", meta({ "na\u001bme": "x" }), "stakepool:metadata.na"],
    ["network Mainnet", { network: "Mainnet" }, "stakepool:network"],
    ["network MAINNET", { network: "MAINNET" }, "stakepool:network"],
    ["network with a trailing space", { network: "preview " }, "stakepool:network"],
  ] satisfies Array<[string, ConfigValues, string]>).map(([what, values, setting]): ConfigCase => ({
    id: `text: ${what}`,
    area: "text fields",
    network: "preview",
    values,
    expect: "refuse",
    setting,
    ...(what.startsWith("network") ? { says: /case|did you mean (mainnet|preview)/ } : {}),
  })),
  ...[
    ["98 characters", "p".repeat(98)],
    ["56 characters (relay host names of 64)", "p".repeat(56)],
    ["an underscore", "my_pool"],
    ["a dot", "my.pool"],
    ["a leading hyphen", "-pool"],
  ].map(([what, stack]): ConfigCase => ({
    id: `text: a stack name with ${what}`,
    area: "text fields",
    network: "preview",
    stack,
    values: {},
    expect: "refuse",
    setting: "stack",
    says: /host name/,
  })),
];

const NUMBER_ROWS: ReadonlyArray<readonly [string, ConfigValues, string, RegExp?]> = [
  ["pledge above the ADA supply", { pledge: "45000000000000001" }, "stakepool:pledge", /45,?000,?000,?000,?000,?000|supply/],
  ["pledge of 17 nines", { pledge: "99999999999999999" }, "stakepool:pledge", /supply/],
  ["pledge in scientific notation", { pledge: "1e15" }, "stakepool:pledge"],
  ["a negative pledge", { pledge: "-1" }, "stakepool:pledge"],
  ["a hex pledge", { pledge: "0x10" }, "stakepool:pledge"],
  ["a pledge with thousands separators", { pledge: "1,000,000" }, "stakepool:pledge"],
  ["a pledge in Arabic-Indic digits", { pledge: "\u0661\u0662\u0663" }, "stakepool:pledge"],
  ["a pledge with leading zeros", { pledge: "0001000000" }, "stakepool:pledge", /leading zero/],
  ["cost 0", { cost: "0" }, "stakepool:cost", /170000000|170 ADA/],
  ["cost 1 lovelace", { cost: "1" }, "stakepool:cost", /170000000|170 ADA/],
  ["cost just below the minimum", { cost: "169999999" }, "stakepool:cost", /170000000|170 ADA/],
  ["cost above the ADA supply", { cost: "45000000000000001" }, "stakepool:cost", /supply/],
  ["cost with a unit", { cost: "170 ADA" }, "stakepool:cost"],
  ["margin above 1", { margin: "1.5" }, "stakepool:margin"],
  ["a negative margin", { margin: "-0.1" }, "stakepool:margin"],
  ["margin as a percentage", { margin: "5%" }, "stakepool:margin", /0\.05/],
  ["margin with a decimal comma", { margin: "0,01" }, "stakepool:margin", /0\.01/],
  ["margin as a fraction", { margin: "1/100" }, "stakepool:margin", /0\.01/],
  ["margin without a leading zero", { margin: ".5" }, "stakepool:margin", /0\.5/],
  ["margin in scientific notation", { margin: "1e-2" }, "stakepool:margin", /0\.01/],
  ["margin with 20 decimals", { margin: "0.00000000000000000001" }, "stakepool:margin", /19/],
  ["margin NaN", { margin: "NaN" }, "stakepool:margin"],
  ["relays 1e20", { relays: "1e20" }, "stakepool:relays", /1 to 20/],
  ["relays of 21 digits", { relays: "100000000000000000000" }, "stakepool:relays", /1 to 20/],
  ["relays -1", { relays: "-1" }, "stakepool:relays"],
  ["relays 2.5", { relays: "2.5" }, "stakepool:relays", /whole number/],
  ["relays Infinity", { relays: "Infinity" }, "stakepool:relays", /whole number/],
  ["dataVolumeGiB of 20 digits", { dataVolumeGiB: "99999999999999999999" }, "stakepool:dataVolumeGiB", /16384/],
  ["peerCount 1e3", { peerCount: "1e3" }, "stakepool:peerCount", /20 to 100/],
  ["relayConnectionLimit of 22 digits", { relayConnectionLimit: "9999999999999999999999" }, "stakepool:relayConnectionLimit", /1 to 512/],
  ["rootVolumeGiB -0", { rootVolumeGiB: "-0" }, "stakepool:rootVolumeGiB"],
];
const NUMBERS: ConfigCase[] = NUMBER_ROWS.map(([what, values, setting, says]) => ({
  id: `numbers: ${what}`,
  area: "numbers",
  network: "mainnet",
  values,
  expect: "refuse",
  setting,
  ...(says ? { says } : {}),
}));

/** Values that reach the registration command or a fix: refused, or printed so that a shell passes them intact. */
const SHELL: ConfigCase[] = [
  ...[
    "https://e.io/$(touch${IFS}pwned)",
    "https://e.io/a;touch${IFS}pwned",
    "https://e.io/a&touch${IFS}pwned",
    "https://e.io/`touch${IFS}pwned`",
    "https://e.io/a|touch${IFS}pwned",
    "https://e.io/a'b",
    'https://e.io/a"b',
    "https://e.io/a>pwned",
    "https://e.io/a<b",
    "https://e.io/a\\b",
    "https://e.io/*",
    "https://e.io/p?x=$HOME",
    "https://e.io/$((6*7))",
    "https://e.io/{a,b}",
    "https://e.io/a!b",
    "https://$(touch${IFS}pwned).io/p.json",
  ].map((url): ConfigCase => ({
    id: `shell: metadataUrl ${url}`,
    area: "shell safety",
    network: "preview",
    values: meta({}, { metadataUrl: url }),
    expect: "refuse",
    setting: "stakepool:metadataUrl",
    mayAccept: true,
  })),
  ...[
    ["a query string", "https://e.io/p.json?a=1&b=2"],
    ["a fragment", "https://e.io/p.json#x"],
    ["percent escapes", "https://e.io/a%24%28x%29.json"],
  ].map(([what, url]): ConfigCase => ({
    id: `shell: metadataUrl with ${what} (may be accepted, then printed quoted)`,
    area: "shell safety",
    network: "preview",
    values: meta({}, { metadataUrl: url! }),
    expect: "refuse",
    setting: "stakepool:metadataUrl",
    mayAccept: true,
  })),
  ...[
    ["pledge", "$(touch${IFS}pwned)"],
    ["cost", "340000000;touch pwned"],
    ["margin", "0.01`touch pwned`"],
    ["dnsZone", "$(touch${IFS}pwned).example.com"],
    ["dnsZone", "a;b.example.com"],
    ["metadataBucket", "a$(touch pwned)"],
  ].map(([key, value]): ConfigCase => ({
    id: `shell: ${key} ${value}`,
    area: "shell safety",
    network: "preview",
    values: key === "metadataBucket" ? { ...meta({}), hostMetadata: true, metadataBucket: value! } : { [key!]: value! },
    expect: "refuse",
    setting: `stakepool:${key}`,
  })),
  {
    id: "shell: a made-up setting named with command substitution (the fix removes it)",
    area: "shell safety",
    network: "preview",
    values: { "stakepool:x$(touch${IFS}pwned)": "1" },
    expect: "refuse",
    setting: "stakepool:x",
    fixArgument: "stakepool:x$(touch${IFS}pwned)",
  },
  {
    id: "shell: a made-up setting named with a single quote",
    area: "shell safety",
    network: "preview",
    values: { "stakepool:it's": "1" },
    expect: "refuse",
    setting: "stakepool:it",
    fixArgument: "stakepool:it's",
  },
  {
    id: "shell: a cold key under a setting named with command substitution",
    area: "shell safety",
    network: "preview",
    values: { "stakepool:k$(touch${IFS}pwned)": COLD_SKEY },
    expect: "refuse",
    setting: "stakepool:k",
    fixArgument: "stakepool:k$(touch${IFS}pwned)",
  },
  {
    id: "shell: a metadata field named with a quote and command substitution",
    area: "shell safety",
    network: "preview",
    values: meta({ "x'$(touch${IFS}pwned)'": "1" }),
    expect: "refuse",
    setting: "stakepool:metadata.x",
    fixArgument: "stakepool:metadata.x'$(touch${IFS}pwned)'",
  },
  ...([
    ["an admin entry that is not a CIDR (fix with a placeholder)", { adminCidrs: ["nonsense"] }, "stakepool:adminCidrs"],
    ["a missing node checksum on mainnet (fix with a placeholder)", { nodeSha256: "xyz" }, "stakepool:nodeSha256"],
    ["a missing mithril checksum (fix with a placeholder)", { mithrilSha256: "xyz" }, "stakepool:mithrilSha256"],
    ["metadata without a URL (fix with a placeholder)", { metadata: JSON.stringify(META) }, "stakepool:metadataUrl"],
    ["an extVkey that is not hex (fix with a placeholder)", meta({ ...EXT, extVkey: "zz" }), "stakepool:metadata.extVkey"],
    ["an extDataUrl of 200 characters (fix with a placeholder)", meta({ ...EXT, extDataUrl: `https://e.io/${"a".repeat(190)}`, extVkey: `5820${"11".repeat(32)}` }), "stakepool:metadata.extDataUrl"],
  ] satisfies Array<[string, ConfigValues, string]>).map(([what, values, setting]): ConfigCase => ({
    id: `shell: ${what}`,
    area: "shell safety",
    network: "preview",
    values,
    expect: "refuse",
    setting,
  })),
  {
    id: "shell: placeholders for pledge, cost and margin in the registration command",
    area: "shell safety",
    network: "preview",
    values: meta({}),
    expect: "refuse",
    setting: "(none)",
    mayAccept: true,
  },
  {
    id: "shell: relays registered by DNS name, with pledge, cost and margin",
    area: "shell safety",
    network: "preview",
    values: meta({}, { dnsZone: "pool.example.com", pledge: "1000000000", cost: "340000000", margin: "0.015" }),
    expect: "refuse",
    setting: "(none)",
    mayAccept: true,
  },
];

export const CONFIG_CASES: readonly ConfigCase[] = [...ADMIN, ...COLD, ...TEXT, ...NUMBERS, ...SHELL];

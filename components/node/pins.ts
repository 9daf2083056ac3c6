/**
 * Which releases a pool runs, and whether each is pinned to a checksum. The kit ships the checksums of
 * its default releases for testnets, so that a committed testnet stack deploys a working pool; on
 * mainnet the operator pins them in the stack (after checking them against the release's own
 * sha256sums.txt), and `pulumi up` refuses without them.
 */
import { fullKey, type Settings } from "../config/settings";
import { Findings } from "../config/problems";
import type { NetworkProfile } from "../networks/networks";
import { nodeReleaseUrl } from "../networks/releases";

/**
 * SHA-256 of release tarballs the kit was built against. Neither was fetched from GitHub here (no
 * network): cardano-node-11.1.3-linux-amd64.tar.gz (233,694,227 bytes) is listed with this digest in the
 * release's cardano-node-11.1.3-sha256sums.txt, as quoted by three independent projects; the Mithril
 * 2630.0 digest is quoted by one project's pinned download list. A wrong pin fails safe: the install
 * refuses the download.
 */
export const KIT_NODE_PINS: Readonly<Record<string, string>> = {
  "11.1.3": "530fb99986fbdccc46f9ee0dd86cabb1393b015feac9173cb731d89fa748365f",
};
export const KIT_MITHRIL_PINS: Readonly<Record<string, string>> = {
  "2630.0": "248f08278382bf02d55cf16263791c53969fa4f749a48df4fdd96416ff9f31ba",
};

/** Releases known to be broken for pools. */
const BROKEN_NODE_RELEASES: Readonly<Record<string, string>> = {
  "11.1.2": "11.1.2 cannot decode IPv4 relays (fixed in 11.1.3)",
};

export interface ReleasePin {
  readonly version: string;
  /** Lower-case hex; undefined when nothing pins it (then nothing is installed). */
  readonly sha256: string | undefined;
  readonly source: "stack" | "kit" | "none";
}

export interface NodeReleases {
  readonly node: ReleasePin;
  /** Undefined when the Mithril bootstrap is off. */
  readonly mithril: ReleasePin | undefined;
  /** The same Mithril distribution, for the core's signer; undefined when the pool runs none. */
  readonly mithrilSigner: ReleasePin | undefined;
}

function pin(version: string, configured: string, kit: Readonly<Record<string, string>>, mainnet: boolean): ReleasePin {
  if (configured !== "") return { version, sha256: configured.toLowerCase(), source: "stack" };
  const shipped = kit[version];
  if (shipped !== undefined && !mainnet) return { version, sha256: shipped, source: "kit" };
  return { version, sha256: undefined, source: "none" };
}

export interface PinOptions {
  /** `pulumi up` (not preview, not the plan): an unpinned mainnet release is an error, not a warning. */
  readonly deploying: boolean;
  /** The core runs a Mithril signer (PoolModel.mithrilSigner): it installs the same Mithril pin. */
  readonly mithrilSigner: boolean;
}

export function resolveReleases(settings: Settings, network: NetworkProfile, options: PinOptions): { releases: NodeReleases; findings: Findings } {
  const findings = new Findings();
  const mainnet = network.name === "mainnet";
  const broken = BROKEN_NODE_RELEASES[settings.nodeVersion];
  if (broken) {
    findings.problem(fullKey("nodeVersion"), `${broken}; a pool must not run it`, `pulumi config set ${fullKey("nodeVersion")} 11.1.3`);
  }
  const node = pin(settings.nodeVersion, settings.nodeSha256, KIT_NODE_PINS, mainnet);
  const mithrilPin = () => pin(settings.mithrilVersion, settings.mithrilSha256, KIT_MITHRIL_PINS, mainnet);
  const mithril = settings.mithrilBootstrap ? mithrilPin() : undefined;
  const mithrilSigner = options.mithrilSigner ? mithrilPin() : undefined;

  const unpinned = (setting: "nodeSha256" | "mithrilSha256", what: string, fix: string) => {
    const message = `is empty, so ${what} cannot be verified and the hosts will not install it`;
    if (mainnet && options.deploying) findings.problem(fullKey(setting), `${message}; mainnet needs a pinned checksum`, fix);
    else findings.warn(fullKey(setting), `${message}${mainnet ? "; pulumi up refuses this on mainnet" : ""}`);
  };
  if (node.sha256 === undefined) {
    unpinned(
      "nodeSha256",
      `cardano-node ${node.version} (${nodeReleaseUrl(node.version)})`,
      `take the digest from https://github.com/IntersectMBO/cardano-node/releases/download/${node.version}/cardano-node-${node.version}-sha256sums.txt, then: pulumi config set ${fullKey("nodeSha256")} '<digest>'`,
    );
  }
  // One pin for both: reported once, naming what it would have installed.
  const unverified = [mithril && "mithril-client", mithrilSigner && "mithril-signer"].filter((w): w is string => typeof w === "string");
  const mithrilUnpinned = (mithril ?? mithrilSigner)?.sha256 === undefined && unverified.length > 0;
  if (mithrilUnpinned) {
    const fixes = [
      ...(mithril ? [`pulumi config set ${fullKey("mithrilBootstrap")} false to sync from genesis`] : []),
      ...(mithrilSigner ? [`pulumi config set ${fullKey("mithrilSigner")} false to run no signer`] : []),
    ];
    unpinned(
      "mithrilSha256",
      `${unverified.join(" and ")} ${settings.mithrilVersion}`,
      `take the digest of mithril-${settings.mithrilVersion}-linux-x64.tar.gz from the Mithril release page, then: pulumi config set ${fullKey("mithrilSha256")} '<digest>' (or ${fixes.join("; or ")})`,
    );
  }
  return { releases: { node, mithril, mithrilSigner }, findings };
}

/**
 * Where the node and Mithril releases come from, and what a pinned release looks like. The versions and
 * checksums themselves are not here: they change during a pool's life, so they travel as instance tags
 * (read at first boot) and as arguments of the upgrade command, never in user data.
 */

/** GitHub release downloads of IntersectMBO/cardano-node: `<base>/<version>/<tarball>`. */
export const NODE_RELEASE_BASE_URL = "https://github.com/IntersectMBO/cardano-node/releases/download";
/**
 * The Linux tarball's name; `{version}` is replaced. Releases since 10.6 (which added arm64 builds) name it
 * `cardano-node-<version>-linux-amd64.tar.gz` (10.6.2, 10.7.1 and 11.1.3 are published so); older
 * releases used `cardano-node-<version>-linux.tar.gz`.
 */
export const NODE_TARBALL_PATTERN = "cardano-node-{version}-linux-amd64.tar.gz";
/** GitHub release downloads of IntersectMBO/mithril: `<base>/<version>/<tarball>`. */
export const MITHRIL_RELEASE_BASE_URL = "https://github.com/IntersectMBO/mithril/releases/download";
/** The Linux x64 distribution tarball; it holds `mithril-client` at its top level. */
export const MITHRIL_TARBALL_PATTERN = "mithril-{version}-linux-x64.tar.gz";

const VERSION = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** A release tag the scripts accept (the same rule as their check_version): no slash, no shell syntax. */
export function isReleaseVersion(value: string): boolean {
  return VERSION.test(value);
}

/** A SHA-256 as the scripts compare it: 64 lower-case hex digits. */
export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

/** The URL the install script downloads for a node version (for plans and documentation). */
export function nodeReleaseUrl(version: string): string {
  return `${NODE_RELEASE_BASE_URL}/${version}/${NODE_TARBALL_PATTERN.replaceAll("{version}", version)}`;
}

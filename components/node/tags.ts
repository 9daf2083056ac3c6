/**
 * Instance tags the node scripts read at boot through IMDSv2 (instance-metadata tags are enabled on every
 * host). They hold what changes during a pool's life or is known only to the cloud, so that user data
 * stays constant: a changed tag never stops or replaces a server.
 */

/**
 * The chain-data volume's id. The same name as `DATA_VOLUME_TAG` in components/host/host.ts (a test keeps
 * them equal); it is repeated here so that pure modules need not load the AWS provider.
 */
export const DATA_VOLUME_TAG = "stakepool:data-volume";
/** The cardano-node release a new server installs, e.g. `11.1.3`. Keep it equal to the upgrade command's. */
export const NODE_VERSION_TAG = "stakepool:node-version";
/** The SHA-256 of that release's Linux tarball (64 hex digits). Without it, no release is installed. */
export const NODE_SHA256_TAG = "stakepool:node-sha256";
/** The Mithril distribution whose mithril-client fills an empty data volume, e.g. `2617.0`. */
export const MITHRIL_VERSION_TAG = "stakepool:mithril-version";
/** The SHA-256 of that distribution's Linux x64 tarball. */
export const MITHRIL_SHA256_TAG = "stakepool:mithril-sha256";

/** The release pins a host carries as tags. */
export interface ReleasePins {
  readonly nodeVersion: string;
  readonly nodeSha256: string;
  readonly mithrilVersion: string;
  readonly mithrilSha256: string;
}

/**
 * The tags that pin a host's releases, to merge into the instance's tags. Changing them changes what a
 * replacement server installs; a running server moves to a new node version only by the upgrade command.
 */
export function releaseTags(pins: ReleasePins): Record<string, string> {
  return {
    [MITHRIL_SHA256_TAG]: pins.mithrilSha256,
    [MITHRIL_VERSION_TAG]: pins.mithrilVersion,
    [NODE_SHA256_TAG]: pins.nodeSha256,
    [NODE_VERSION_TAG]: pins.nodeVersion,
  };
}

/**
 * The node upgrade delivered over SSH (by @pulumi/command): the install script that runs at first boot,
 * run again with explicit arguments. It installs the release beside the current one, switches, and
 * restarts a running node; the same version again changes nothing and restarts nothing.
 */
import { kitScript } from "./paths";
import { isReleaseVersion, isSha256 } from "./releases";

/** The install script on the host. */
export const INSTALL_NODE_SCRIPT = kitScript("install-node.sh");

/**
 * Waits until cloud-init has finished (on a new server: written the scripts and run the first setup).
 * Its exit status is ignored: a failed first boot is no reason to refuse an upgrade, and the install
 * script reports its own failures.
 */
export const WAIT_FOR_CLOUD_INIT = "sudo -n cloud-init status --wait >/dev/null 2>&1 || true";

/** The install step alone: `sudo -n <install-node.sh> --restart <version> <sha256>`. */
export function nodeInstallCommand(version: string, sha256: string): string {
  if (!isReleaseVersion(version)) throw new Error(`'${version}' is not a cardano-node release version`);
  if (!isSha256(sha256)) throw new Error(`'${sha256}' is not a SHA-256 (64 lower-case hex digits)`);
  return `sudo -n ${INSTALL_NODE_SCRIPT} --restart ${version} ${sha256}`;
}

/**
 * The shell command that moves a host to `version`, whose Linux tarball has the SHA-256 `sha256`. Run it
 * over SSH as the admin user (passwordless sudo). Both values are checked here, so the command never
 * carries anything but a version and a hash. It exits non-zero if the release was not installed.
 */
export function nodeUpgradeCommand(version: string, sha256: string): string {
  return `${WAIT_FOR_CLOUD_INIT}; ${nodeInstallCommand(version, sha256)}`;
}

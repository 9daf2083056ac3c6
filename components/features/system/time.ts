/**
 * Time on a pool host. Slots are time: a core whose clock drifts forges its block in the wrong slot,
 * and its peers reject it. Every EC2 instance reaches the Amazon Time Sync Service at the link-local
 * address 169.254.169.123 (no internet, no security group rule needed), so chrony prefers it and keeps
 * the distribution's public pools as a fallback.
 *
 * Source: AWS EC2 User Guide, "Set the time for your EC2 instance" (chrony line
 * `server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4`). Ubuntu's chrony.conf reads every
 * `*.sources` file in /etc/chrony/sources.d, so the kit adds a file and edits none.
 * Amazon smears leap seconds while the public pools do not: while one is being inserted, the two
 * disagree by up to a second, and `prefer` keeps the host on Amazon's time.
 */

/** Amazon Time Sync Service's IPv4 address, the same in every region and on every instance type. */
export const AMAZON_TIME_SYNC_IPV4 = "169.254.169.123";

/** A file of its own in the sources folder Ubuntu's chrony.conf reads, so no packaged file is edited. */
export const CHRONY_SOURCES_PATH = "/etc/chrony/sources.d/stakepool-amazon-time-sync.sources";

/** The chrony sources file: the host's time server (Amazon Time Sync on AWS), preferred. */
export function renderChronySources(server: string): string {
  return [
    server === AMAZON_TIME_SYNC_IPV4
      ? "# Amazon Time Sync Service (link-local, every EC2 instance): written by the stakepool kit."
      : `# The time server of this host's network: written by the stakepool kit.`,
    "# Preferred over the distribution's pools, which stay as a fallback.",
    `server ${server} prefer iburst minpoll 4 maxpoll 4`,
    "",
  ].join("\n");
}

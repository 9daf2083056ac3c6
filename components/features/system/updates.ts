/**
 * Automatic security updates (unattended-upgrades). Ubuntu's default policy installs updates from the
 * release's -security pocket only; this file switches the daily run on explicitly (it sorts after the
 * image's own 20auto-upgrades, and later apt.conf.d files win) and forbids automatic reboots: a core
 * that reboots on its own can miss the slot it leads, so the operator chooses when to reboot.
 * Source: unattended-upgrades README and Ubuntu Server guide, "Automatic updates".
 */

/** Sorts after the image's 20auto-upgrades, so its values win. */
export const APT_AUTO_UPGRADES_PATH = "/etc/apt/apt.conf.d/21stakepool-auto-upgrades";

/** The apt settings that run unattended-upgrades daily and never reboot. */
export function renderAptAutoUpgrades(): string {
  return [
    "// Written by the stakepool kit: security updates install themselves every day.",
    'APT::Periodic::Update-Package-Lists "1";',
    'APT::Periodic::Unattended-Upgrade "1";',
    "// Never reboot on its own: the operator reboots a core between its leadership slots.",
    'Unattended-Upgrade::Automatic-Reboot "false";',
    "",
  ].join("\n");
}

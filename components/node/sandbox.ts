/**
 * The systemd sandboxing every long-running unit of the kit shares (the node, the Mithril signer, the
 * relay's proxy): each unit adds what it may write and what it may reach. The directives are systemd's
 * (systemd.exec(5)); `systemd-analyze verify` checks every unit that uses them in the tests.
 */

/** No view of homes, other temporary files, devices, kernel settings or other processes. */
export const PROTECTED_HOST = [
  "ProtectHome=yes",
  "PrivateTmp=yes",
  "PrivateDevices=yes",
  "ProtectKernelTunables=yes",
  "ProtectKernelModules=yes",
  "ProtectKernelLogs=yes",
  "ProtectControlGroups=yes",
  "ProtectClock=yes",
  "ProtectHostname=yes",
  "ProtectProc=invisible",
] as const;

/** No new namespaces, realtime scheduling, set-id files or personality changes. */
export const RESTRICTED_PROCESS = ["RestrictNamespaces=yes", "RestrictRealtime=yes", "RestrictSUIDSGID=yes", "LockPersonality=yes"] as const;

/** An operator's servers for tests: real host keys (made for these tests), addresses not in documentation ranges. */
export const KEYS = {
  core: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKm7QmhYSdDmixYfSRhHk1Vcs02+GiIpMu3o9HNHJ2sM",
  r1: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKfvidf4xq5ClGoScpMw9A+1wCd62yNEpujp9envNgB",
  r2: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH+FLWvRTswIT7Ov8FyfI3d4DEiae7467V1+52zv/J0s",
};
export const server = (name: string, role: "core" | "relay", address: string, hostKey: string, extra: Record<string, unknown> = {}) => ({
  name,
  role,
  address,
  sshUser: "pool",
  hostKey,
  memoryGiB: 16,
  dataDiskGiB: 100,
  dataDevice: "/dev/disk/by-id/nvme-SSD_0001",
  ...extra,
});
/** A good inventory: the relays reached at public addresses (not documentation ones), so that deploying accepts it. */
export const GOOD = [
  server("core", "core", "10.0.0.10", KEYS.core),
  server("relay-1", "relay", "1.2.3.4", KEYS.r1, { privateAddress: "10.0.0.11" }),
  server("relay-2", "relay", "5.6.7.8", KEYS.r2, { privateAddress: "10.0.0.12", publicAddress: "relay2.mypool.io", sshPort: 2222 }),
];

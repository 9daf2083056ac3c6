/** An operator's servers for tests: real host keys (made for these tests), addresses not in documentation ranges. */
export const KEYS = {
  core: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKm7QmhYSdDmixYfSRhHk1Vcs02+GiIpMu3o9HNHJ2sM",
  r1: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMKfvidf4xq5ClGoScpMw9A+1wCd62yNEpujp9envNgB",
  r2: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH+FLWvRTswIT7Ov8FyfI3d4DEiae7467V1+52zv/J0s",
};
export const server = (address: string, hostKey: string, extra: Record<string, unknown> = {}) => ({
  address,
  sshUser: "pool",
  hostKey,
  memoryGiB: 16,
  dataDiskGiB: 100,
  dataDevice: "/dev/disk/by-id/nvme-SSD_0001",
  ...extra,
});
/** A good inventory: real-looking public addresses (not documentation ones), so that deploying accepts it. */
export const GOOD = {
  core: server("10.0.0.10", KEYS.core),
  "relay-1": server("10.0.0.11", KEYS.r1, { publicAddress: "1.2.3.4" }),
  "relay-2": server("10.0.0.12", KEYS.r2, { publicAddress: "relay2.mypool.io", sshPort: 2222 }),
};

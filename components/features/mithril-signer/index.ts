/**
 * The Mithril signer as a feature of the pool (`stakepool:mithrilSigner`, ../../pool/mithril-signer.ts):
 * on a forging core the signer, on the first relay and the second (a standby, when there is one) the
 * forward proxy that admits only the core, only to the aggregator's host on 443. Its place in each host's
 * order is last: the core's signer starts after the node step (its unit waits for the node's socket),
 * the proxy after the relay's firewall admits the core on the proxy port (../../firewall/policy.ts).
 * The keys step restarts the signer after a KES rotation (../hot-keys.ts, KEYS_APPLY_WITH_SIGNER).
 */
import type { LoadedPool } from "../../pool/loaded";
import type { Feature } from "../feature";
import { proxyRelays, type MithrilSignerInput } from "./input";
import { MITHRIL_SIGNER_FEATURE, signerCoreStep, signerRelayStep } from "./steps";

/** What the signer and its proxies render from, when the pool runs a signer whose release is pinned. */
export function signerInput(pool: Pick<LoadedPool, "model" | "releases" | "identity">): MithrilSignerInput | undefined {
  const { model, releases, identity } = pool;
  const release = releases.mithrilSigner;
  // Unpinned, nothing would install (the plan warns, and pulumi up refuses it on mainnet); keyless, nothing would sign.
  if (!model.mithrilSigner || release?.sha256 === undefined || identity.hotKeyFiles === undefined) return undefined;
  return {
    network: model.network,
    coreIp: model.core.privateIp,
    proxyRelayIps: proxyRelays(model.relays).map((r) => r.privateIp),
    mithril: { version: release.version, sha256: release.sha256 },
    // With a monitoring host the metrics listen where it scrapes them (the firewall admits it alone).
    monitorIp: model.monitor?.privateIp,
  };
}

export const mithrilSigner: Feature = {
  name: MITHRIL_SIGNER_FEATURE,
  step(pool, host) {
    const input = signerInput(pool);
    if (input === undefined) return undefined;
    if (host.role === "core") return signerCoreStep(input);
    return proxyRelays(pool.model.relays).some((r) => r.name === host.name) ? signerRelayStep(input, host.privateIp) : undefined;
  },
};

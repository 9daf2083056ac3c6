/**
 * Everything the Mithril signer feature renders from: a plain value, so that every rendering is a pure
 * function of it and the lead's wiring decides once where it comes from (the pool model, the pinned
 * releases, whether the core forges).
 */
import { isIPv4 } from "node:net";
import { MITHRIL_PROXY_PORT, MITHRIL_SIGNER_METRICS_PORT as SIGNER_METRICS_PORT_NUMBER, type NetworkProfile } from "../../networks/networks";
import { isReleaseVersion, isSha256 } from "../../networks/releases";
import { MAX_MITHRIL_PROXY_RELAYS, mithrilProxyRelays, type HostSpec } from "../../model/pool";

/** The forward proxy's port on a relay: the port the Mithril docs recommend (run-signer-node.md). */
export const RELAY_PROXY_PORT = MITHRIL_PROXY_PORT;
/**
 * The signer's Prometheus endpoint (`/metrics`), upstream's default port; bound to loopback, or to the
 * core's private address when the monitoring host scrapes it (the firewall admits the monitoring host alone).
 */
export const SIGNER_METRICS_PORT = SIGNER_METRICS_PORT_NUMBER;
export const SIGNER_METRICS_ADDRESS = "127.0.0.1";

export interface MithrilRelease {
  /** A Mithril distribution tag, e.g. `2630.0`. */
  readonly version: string;
  /** SHA-256 of `mithril-<version>-linux-x64.tar.gz`; undefined when nothing pins it (then nothing installs). */
  readonly sha256: string | undefined;
}

export interface MithrilSignerInput {
  readonly network: NetworkProfile;
  /** The core's private address: the only source the proxies admit. */
  readonly coreIp: string;
  /**
   * Private addresses of the relays that run a proxy, in order of preference. The signer uses the first
   * (mithril-signer takes one RELAY_ENDPOINT); the second is a standby the operator switches to.
   */
  readonly proxyRelayIps: readonly string[];
  /** The pinned Mithril release (the same pin as the Mithril bootstrap's mithril-client). */
  readonly mithril: MithrilRelease;
  /**
   * The monitoring host's private address, when the pool has one: the signer's metrics then listen on the
   * core's private address and its sandbox admits this one address besides loopback and the proxies.
   */
  readonly monitorIp: string | undefined;
}

/** Where the signer's metrics listen: loopback, or the core's private address when a monitoring host scrapes them. */
export function signerMetricsIp(input: Pick<MithrilSignerInput, "coreIp" | "monitorIp">): string {
  return input.monitorIp === undefined ? SIGNER_METRICS_ADDRESS : input.coreIp;
}

/** At most two proxies: the first relay, and the second for redundancy when there is one (issue 16). */
export const MAX_PROXY_RELAYS = MAX_MITHRIL_PROXY_RELAYS;

/** The relays that run a proxy: the first, and the second when the pool has one (../../model/pool.ts). */
export function proxyRelays(relays: readonly HostSpec[]): HostSpec[] {
  return mithrilProxyRelays({ relays, mithrilSigner: true });
}

/** Throws when the input cannot describe a real deployment; the renderers call it first. */
export function checkSignerInput(input: MithrilSignerInput): void {
  if (!isIPv4(input.coreIp)) throw new Error(`the core's address ${JSON.stringify(input.coreIp)} is not an IPv4 address`);
  if (input.proxyRelayIps.length === 0) throw new Error("the Mithril signer needs at least one proxy relay: the core never reaches the aggregator itself");
  if (input.proxyRelayIps.length > MAX_PROXY_RELAYS) throw new Error(`at most ${MAX_PROXY_RELAYS} proxy relays, got ${input.proxyRelayIps.length}`);
  for (const ip of input.proxyRelayIps) {
    if (!isIPv4(ip)) throw new Error(`the proxy relay address ${JSON.stringify(ip)} is not an IPv4 address`);
    if (ip === input.coreIp) throw new Error(`the proxy runs on a relay, never on the core (${ip})`);
  }
  if (new Set(input.proxyRelayIps).size !== input.proxyRelayIps.length) throw new Error("the proxy relays are listed twice");
  if (!isReleaseVersion(input.mithril.version)) throw new Error(`${JSON.stringify(input.mithril.version)} is not a Mithril release version`);
  if (input.mithril.sha256 !== undefined && !isSha256(input.mithril.sha256)) throw new Error(`the Mithril checksum ${input.mithril.sha256} is not 64 lower-case hex digits`);
  if (input.monitorIp !== undefined) {
    if (!isIPv4(input.monitorIp)) throw new Error(`the monitoring host's address ${JSON.stringify(input.monitorIp)} is not an IPv4 address`);
    if (input.monitorIp === input.coreIp || input.proxyRelayIps.includes(input.monitorIp)) throw new Error(`the monitoring host's address ${input.monitorIp} is another host's`);
  }
}

/** `http://<relay>:3132`: how the signer reaches its proxy (reqwest `Proxy::all`, CONNECT for https). */
export function relayEndpoint(relayIp: string): string {
  return `http://${relayIp}:${RELAY_PROXY_PORT}`;
}

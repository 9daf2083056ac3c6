/**
 * What the signer contacts on the internet, and so the only destination its proxy lets through.
 *
 * Read from IntersectMBO/mithril 2630.0:
 * - Every HTTP request of the signer goes through one `AggregatorHttpClient`
 *   (`mithril-signer/src/dependency_injection/builder.rs` `build_aggregator_client`), built on
 *   AGGREGATOR_ENDPOINT with RELAY_ENDPOINT as its only proxy
 *   (`internal/mithril-aggregator-client/src/builder.rs`: `reqwest::Proxy::all(relay_endpoint)`); its
 *   requests are paths under the aggregator URL (`enforce_trailing_slash` + `Url::join`): one host.
 *   Registration, epoch settings, signatures and the network configuration
 *   (`HttpMithrilNetworkConfigurationProvider`, built on the same client) all use it.
 * - The era reader `cardano-chain` reads the era markers from the chain through the local node
 *   (the chain observer on CARDANO_NODE_SOCKET_PATH), not over the internet.
 * - Signatures go to the aggregator, and to a local DMQ node only when DMQ_NODE_SOCKET_PATH is set (the
 *   kit does not set it).
 * - The metrics server only listens.
 * So the signer reaches exactly one destination: the aggregator's host on 443 (its URL is https).
 * Through an http proxy, reqwest tunnels https with CONNECT <host>:443 and leaves the name to the proxy:
 * the core resolves nothing and opens nothing but the proxy's port.
 */
import { isIP } from "node:net";
import type { NetworkProfile } from "../../networks/networks";

export interface Destination {
  readonly host: string;
  readonly port: number;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** The aggregator's host and port, from the network's aggregator URL (which must be https on a name). */
export function aggregatorDestination(network: NetworkProfile): Destination {
  const url = new URL(network.mithrilAggregator);
  if (url.protocol !== "https:") throw new Error(`the ${network.name} aggregator ${network.mithrilAggregator} is not https`);
  // A name, never an address: the proxy matches it by name (dstdomain -n), and the last label is not numeric.
  if (isIP(url.hostname) !== 0 || !HOST_NAME.test(url.hostname) || !/[a-z]/.test(url.hostname.slice(url.hostname.lastIndexOf(".") + 1))) throw new Error(`the ${network.name} aggregator's host ${url.hostname} is not a DNS name`);
  return { host: url.hostname, port: url.port === "" ? 443 : Number(url.port) };
}

/** Every destination the signer reaches (through the proxy), sorted. */
export function signerDestinations(network: NetworkProfile): Destination[] {
  return [aggregatorDestination(network)];
}

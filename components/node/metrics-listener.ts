/**
 * The node settings that move cardano-node's metrics listener from 127.0.0.1 to the host's private
 * address, so that the monitoring host can scrape it (the firewall admits only the monitoring host).
 * ./settings.ts lays it over a host's settings when the pool has a monitoring host (the node restarts).
 *
 * The overlay is a JSON merge patch (RFC 7386, scripts/node-config.py): an array replaces the release's
 * array whole, so the overlay carries the release's complete root backend list, changed in the
 * PrometheusSimple entry only. That list is the official configs' (cardano-node
 * configuration/cardano/mainnet-config.json; iohk-nix cardano-lib/generic-log-config.nix for the
 * testnets, the same four), checked in tests against the upstream file.
 *
 * The backend string: `PrometheusSimple [suffix|nosuffix] [host] port` (hermod-tracing trace-dispatcher
 * `Cardano/Logging/Types.hs` `parsePrometheusString`); only the root namespace's first PrometheusSimple
 * counts (cardano-node `Cardano/Node/Tracing/API.hs`). The kit keeps `suffix`: its metric names carry
 * `_int`, `_counter`, `_real` (../features/monitoring/metrics.ts).
 */
import { METRICS_PORT } from "../networks/networks";

/** The official root backends, in their order, with the listener's host as a parameter. */
export function rootBackends(listenHost: string): string[] {
  return ["EKGBackend", "Forwarder", `PrometheusSimple suffix ${listenHost} ${METRICS_PORT}`, "Stdout HumanFormatColoured"];
}

/** The overlay fragment (to merge into a host's node settings). */
export function metricsListenerOverlay(privateIp: string): { TraceOptions: { "": { backends: string[] } } } {
  return { TraceOptions: { "": { backends: rootBackends(privateIp) } } };
}

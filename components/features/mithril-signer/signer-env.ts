/**
 * The signer's environment file (systemd EnvironmentFile of mithril-signer.service): the settings
 * mithril-signer reads, per network.
 *
 * Upstream: IntersectMBO/mithril 2630.0 `mithril-signer/src/configuration.rs` (`Configuration`,
 * `DefaultConfiguration`) and `mithril-signer/src/main.rs` (the builder ends with
 * `config::Environment::default()`: each variable is the upper-case field name). The settings the docs
 * (`docs/website/root/manual/operate/run-signer-node.md`, production deployment) set are all here; where
 * the code and the docs differ the code wins (see the README of this folder).
 */
import { CLI_BIN, DB_DIR, KES_KEY_FILE, OPCERT_FILE, SOCKET_PATH } from "../../node/paths";
import { ERA_READER_ADAPTER_TYPE, eraReaderAdapterParams, eraReaderSettings } from "./era-reader";
import { checkSignerInput, relayEndpoint, signerMetricsIp, SIGNER_METRICS_PORT, type MithrilSignerInput } from "./input";
import { SIGNER_STORES_DIR } from "./paths";

/** Milliseconds between two cycles of the signer's state machine (the docs' value). */
export const SIGNER_RUN_INTERVAL_MS = 60000;
/** Records kept in the signer's stores (the docs: "5 is a good fit"); unset keeps them all. */
export const SIGNER_STORE_RETENTION_LIMIT = 5;

/** The signer's settings as variable → value. */
export function signerEnvironment(input: MithrilSignerInput): Record<string, string> {
  checkSignerInput(input);
  const era = eraReaderSettings(input.network);
  return {
    AGGREGATOR_ENDPOINT: input.network.mithrilAggregator,
    // Required by the configuration (no default). The chain observer is Pallas on the socket
    // (builder.rs `ChainObserverType::Pallas`); cardano-cli is its fallback runner.
    CARDANO_CLI_PATH: CLI_BIN,
    CARDANO_NODE_SOCKET_PATH: SOCKET_PATH,
    DATA_STORES_DIRECTORY: SIGNER_STORES_DIR,
    // The node's --database-path: the signer digests the immutable files it certifies.
    DB_DIRECTORY: DB_DIR,
    // On, for the monitoring feature; bound to loopback, or to the core's private address when the
    // monitoring host scrapes it (upstream's default is 0.0.0.0, every interface).
    ENABLE_METRICS_SERVER: "true",
    ERA_READER_ADAPTER_PARAMS: eraReaderAdapterParams(era),
    // Upstream's default is `bootstrap` (devnets); networks.json says cardano-chain on every real network.
    ERA_READER_ADAPTER_TYPE,
    KES_SECRET_KEY_PATH: KES_KEY_FILE,
    METRICS_SERVER_IP: signerMetricsIp(input),
    METRICS_SERVER_PORT: String(SIGNER_METRICS_PORT),
    // `mainnet`/`preprod`/`preview` carry their magic (mithril-common `CardanoNetwork::from_code`):
    // NETWORK_MAGIC is read only for `private`, so it is not set.
    NETWORK: input.network.name,
    // The pool's certificate: the party id is computed from it (builder.rs `compute_protocol_party_id`).
    OPERATIONAL_CERTIFICATE_PATH: OPCERT_FILE,
    // The first proxy relay; the signer takes one (reqwest `Proxy::all`).
    RELAY_ENDPOINT: relayEndpoint(input.proxyRelayIps[0]!),
    RUN_INTERVAL: String(SIGNER_RUN_INTERVAL_MS),
    STORE_RETENTION_LIMIT: String(SIGNER_STORE_RETENTION_LIMIT),
  };
}

/**
 * systemd reads an EnvironmentFile line by line (systemd `src/basic/env-file.c`,
 * `parse_env_file_internal`): a value that starts with a quote is unquoted, a backslash escapes, and
 * leading and trailing blanks are dropped; anything else is taken as it is (so the JSON of
 * ERA_READER_ADAPTER_PARAMS keeps its quotes). The kit writes only values that mean the same to every
 * reader: none starts with a quote, none has a backslash, `$`, a line break or outer blanks.
 */
export function checkEnvironmentValue(key: string, value: string): void {
  if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`bad signer setting name ${key}`);
  if (value === "") throw new Error(`signer setting ${key} is empty`);
  if (/^["']/.test(value)) throw new Error(`signer setting ${key} starts with a quote, which systemd would remove`);
  if (/[\\$\r\n]/.test(value)) throw new Error(`signer setting ${key} holds a backslash, a dollar sign or a line break`);
  if (value.trim() !== value) throw new Error(`signer setting ${key} has leading or trailing blanks, which systemd would drop`);
}

/** The file: a header, then sorted KEY=value lines. No secret: paths, URLs and public keys only. */
export function renderSignerEnvironment(input: MithrilSignerInput): string {
  const settings = signerEnvironment(input);
  const lines = Object.keys(settings)
    .sort()
    .map((key) => {
      const value = settings[key]!;
      checkEnvironmentValue(key, value);
      return `${key}=${value}`;
    });
  return [
    `# mithril-signer settings (${input.network.name}). Rendered by the stakepool kit and delivered over SSH: do not edit.`,
    "# Read by systemd for mithril-signer.service; every variable is a field of the signer's Configuration.",
    ...lines,
    "",
  ].join("\n");
}

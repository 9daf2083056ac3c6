/**
 * The Mithril signer's two steps, shaped like every feature's (../feature.ts HostStep): on the core the
 * signer (its release, unit and environment), on each proxy relay the forward proxy. ./index.ts decides
 * where they run (the feature); the firewall admits the proxy port (../../firewall/policy.ts).
 *
 * Neither step touches the node, so both are `files` for the node (../feature.ts StepEffect); the
 * signer's step restarts the signer, and only when its release, unit or environment changed.
 */
import { renderSettingsFile } from "../../node/env-file";
import { kitScript } from "../../node/paths";
import type { DeliveredFile } from "../../delivery/bundle";
import { ROOT_FILE, type HostStep } from "../feature";
import {
  APPLY_RELAY_PROXY,
  APPLY_SIGNER,
  RELAY_PROXY_UNIT,
  RELAY_PROXY_UNIT_FILE,
  REMOVE_RELAY_PROXY,
  REMOVE_SIGNER,
  SIGNER_APPLY_SCRIPT_NAME,
  SIGNER_UNIT,
  SIGNER_UNIT_FILE,
} from "./commands";
import { checkSignerInput, type MithrilSignerInput } from "./input";
import { RELAY_PROXY_CONFIG_FILE, SIGNER_APPLIED_FILE, SIGNER_APPLY_SETTINGS_FILE, SIGNER_CURRENT_LINK, SIGNER_ENV_FILE, SIGNER_LOCK_FILE } from "./paths";
import { renderRelayProxyService } from "./relay-unit";
import { signerApplyScript } from "./scripts";
import { renderSignerEnvironment } from "./signer-env";
import { renderSignerService } from "./signer-unit";
import { renderSquidConfig } from "./squid-conf";

/** The feature's name: the step's command is `<pool>-<host>-mithril-signer`. Identity: never renamed. */
export const MITHRIL_SIGNER_FEATURE = "mithril-signer";

/** A restarted signer must stay up this long before the rollout moves on. */
export const SIGNER_HEALTHY_SECONDS = 30;

/** What mithril-signer-apply.sh installs and switches to, and the paths it touches (KEY=value). */
export function signerApplySettings(input: MithrilSignerInput): Record<string, string> {
  return {
    SIGNER_APPLIED_FILE,
    SIGNER_CURRENT_LINK,
    SIGNER_ENV_FILE,
    SIGNER_HEALTHY_SECONDS: String(SIGNER_HEALTHY_SECONDS),
    SIGNER_LOCK_FILE,
    SIGNER_MITHRIL_SHA256: input.mithril.sha256 ?? "",
    SIGNER_MITHRIL_VERSION: input.mithril.version,
    SIGNER_SERVICE: SIGNER_UNIT,
    SIGNER_UNIT_FILE,
  };
}

const byPath = (a: DeliveredFile, b: DeliveredFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The core's step: the signer. Only for a forging core: the signer signs with the pool's KES key. */
export function signerCoreStep(input: MithrilSignerInput): HostStep {
  checkSignerInput(input);
  const env = renderSignerEnvironment(input);
  const unit = renderSignerService(input);
  const settings = renderSettingsFile("Settings of mithril-signer-apply.sh on the core", signerApplySettings(input));
  const files = [
    { path: kitScript(SIGNER_APPLY_SCRIPT_NAME), ...ROOT_FILE, mode: "0755", content: signerApplyScript() },
    { path: SIGNER_APPLY_SETTINGS_FILE, ...ROOT_FILE, content: settings },
    { path: SIGNER_ENV_FILE, ...ROOT_FILE, content: env },
    { path: SIGNER_UNIT_FILE, ...ROOT_FILE, content: unit },
  ].sort(byPath);
  return {
    name: MITHRIL_SIGNER_FEATURE,
    delivery: { directories: [], files, apply: [APPLY_SIGNER], remove: [...REMOVE_SIGNER] },
    secret: false,
    effect: "files",
    planFiles: { "mithril-signer.env": env, [SIGNER_UNIT]: unit },
  };
}

/** A proxy relay's step: squid admitting the core to the aggregator, nothing else. */
export function signerRelayStep(input: MithrilSignerInput, relayIp: string): HostStep {
  const config = renderSquidConfig(input, relayIp);
  const unit = renderRelayProxyService(input, relayIp);
  const files = [
    { path: RELAY_PROXY_CONFIG_FILE, ...ROOT_FILE, content: config },
    { path: RELAY_PROXY_UNIT_FILE, ...ROOT_FILE, content: unit },
  ].sort(byPath);
  return {
    name: MITHRIL_SIGNER_FEATURE,
    delivery: { directories: [], files, apply: [...APPLY_RELAY_PROXY], remove: [...REMOVE_RELAY_PROXY] },
    secret: false,
    effect: "files",
    planFiles: { "mithril-relay.squid.conf": config, [RELAY_PROXY_UNIT]: unit },
  };
}

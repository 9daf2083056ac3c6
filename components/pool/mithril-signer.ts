/**
 * Whether the pool runs a Mithril signer on its core (`stakepool:mithrilSigner`, issue 16). The signer
 * signs with the core's KES key and operational certificate (mithril-signer's `KES_SECRET_KEY_PATH`,
 * `OPERATIONAL_CERTIFICATE_PATH`), so it needs the hot keys; "auto" turns it on where the Mithril docs make
 * it a step of running a pool (mainnet) and only once the pool forges. What it renders and delivers is
 * ../features/mithril-signer.
 */
import { AUTO_VALUE, fullKey, type Settings } from "../config/settings";
import type { Findings } from "../config/problems";
import type { NetworkName } from "../networks/networks";

type SignerSettings = Pick<Settings, "mithrilSigner" | "kesSigningKey" | "operationalCertificate">;

function forges(settings: SignerSettings): boolean {
  return settings.kesSigningKey.trim() !== "" && settings.operationalCertificate.trim() !== "";
}

/** The signer runs: asked for, or "auto" on a forging mainnet pool. */
export function runsMithrilSigner(settings: SignerSettings, network: NetworkName): boolean {
  if (settings.mithrilSigner === "true") return true;
  if (settings.mithrilSigner === "false") return false;
  return settings.mithrilSigner === AUTO_VALUE && network === "mainnet" && forges(settings);
}

/** A signer asked for without the keys it signs with. */
export function checkMithrilSigner(settings: SignerSettings, findings: Findings): void {
  if (settings.mithrilSigner !== "true" || forges(settings)) return;
  findings.problem(
    fullKey("mithrilSigner"),
    "is true, but the pool has no hot keys: the signer signs with the core's KES key and operational certificate",
    `set stakepool:kesSigningKey, stakepool:vrfSigningKey and stakepool:operationalCertificate (pulumi config set --secret … < file), or pulumi config set ${fullKey("mithrilSigner")} auto`,
  );
}

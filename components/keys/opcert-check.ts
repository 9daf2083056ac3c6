/**
 * Deploy-time checks of the operational certificate against the network's clock: a certificate that
 * is not valid yet, or no longer, makes a core that never forges a block while looking healthy. The
 * kit refuses both (an expired one can be let through on purpose, for recovery) and warns two weeks
 * before expiry, when there is still time to rotate calmly.
 */
import { Findings } from "../config/problems";
import type { NetworkProfile, ShelleyTiming } from "../networks/networks";
import { HOT_KEY_SETTINGS } from "./envelope-types";
import { kesPeriodOf, opcertValidity, slotAt, type OpcertValidity } from "./kes";
import { issueOpCertCommand, COUNTER_RULE } from "./rotation";

/** The setting that lets an expired certificate through, for a recovery deploy. */
export const ALLOW_EXPIRED_OPCERT_SETTING = "stakepool:allowExpiredOpcert";

/** How long before expiry the kit starts warning. */
export const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 86_400_000;

/** Whether the node can forge with the certificate at a given time. */
export type OpcertState = "not-yet-valid" | "valid" | "expired";

/** Where a certificate stands at a given time. */
export interface OpcertStatus extends OpcertValidity {
  readonly at: Date;
  readonly slot: number;
  /** The KES period in progress at `at`. */
  readonly kesPeriod: number;
  readonly state: OpcertState;
  /** Periods in which it can still sign, counting the current one (0 once expired). */
  readonly periodsLeft: number;
}

/** Overrides for `checkOpcert`. */
export interface OpcertCheckOptions {
  /** Deploy even though the certificate has expired (the core will not forge). */
  readonly allowExpired?: boolean;
}

/** UTC, to the second: what operators compare with `date -u`. */
export function isoSecond(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Where a certificate starting at `startKesPeriod` stands at `at`. */
export function opcertStatus(timing: ShelleyTiming, startKesPeriod: number, at: Date): OpcertStatus {
  const slot = slotAt(timing, at);
  const kesPeriod = kesPeriodOf(timing, slot);
  const validity = opcertValidity(timing, startKesPeriod);
  const state: OpcertState =
    kesPeriod < startKesPeriod ? "not-yet-valid" : kesPeriod >= validity.endKesPeriod ? "expired" : "valid";
  const periodsLeft = Math.max(0, validity.endKesPeriod - Math.max(kesPeriod, startKesPeriod));
  return { ...validity, at, slot, kesPeriod, state, periodsLeft };
}

/**
 * Checks the certificate for a deploy at `now` on `network`. Problems and warnings are named after
 * `stakepool:operationalCertificate`; the returned Findings is the caller's to absorb.
 */
export function checkOpcert(
  opcert: { readonly startKesPeriod: number },
  network: NetworkProfile,
  now: Date,
  options: OpcertCheckOptions = {},
): Findings {
  const findings = new Findings();
  const setting = HOT_KEY_SETTINGS.operationalCertificate;
  const status = opcertStatus(network.timing, opcert.startKesPeriod, now);
  const reissue =
    `on the offline machine, ${issueOpCertCommand(status.kesPeriod)}; then ` +
    `pulumi config set --secret ${setting} < node.cert (${COUNTER_RULE})`;

  if (status.state === "not-yet-valid") {
    findings.problem(
      setting,
      `starts at KES period ${status.startKesPeriod}, but ${network.name} is in KES period ${status.kesPeriod} ` +
        `(slot ${status.slot} at ${isoSecond(now)}): the core could not forge a block before ` +
        `${status.validFrom ? isoSecond(status.validFrom) : `period ${status.startKesPeriod}`}. ` +
        `It was issued with a wrong --kes-period, or for another network.`,
      `re-issue it for the current period: ${reissue}`,
    );
  } else if (status.state === "expired") {
    const message =
      `expired at ${isoSecond(status.expiresAt)} (slot ${status.expiresAtSlot}, KES period ${status.endKesPeriod}; ` +
      `${network.name} is in KES period ${status.kesPeriod}): the core cannot forge blocks with it`;
    if (options.allowExpired) {
      findings.warn(setting, `${message}. Deploying anyway because ${ALLOW_EXPIRED_OPCERT_SETTING} is true.`);
    } else {
      findings.problem(
        setting,
        message,
        `rotate the KES key and certificate: make a new KES key pair (cardano-cli node key-gen-KES), ${reissue}, ` +
          `and set stakepool:kesSigningKey to the new kes.skey. To deploy without forging (recovery), ` +
          `pulumi config set ${ALLOW_EXPIRED_OPCERT_SETTING} true`,
      );
    }
  } else {
    const msLeft = status.expiresAt.getTime() - now.getTime();
    if (msLeft <= EXPIRY_WARNING_DAYS * DAY_MS) {
      const days = Math.floor(msLeft / DAY_MS);
      findings.warn(
        setting,
        `expires at ${isoSecond(status.expiresAt)} (in ${days === 0 ? "less than a day" : `${days} day${days === 1 ? "" : "s"}`}, ` +
          `at KES period ${status.endKesPeriod}): rotate the KES key and certificate before then (npm run kes -- --network ${network.name} ` +
          `--opcert node.cert shows the --kes-period to use)`,
      );
    }
  }
  return findings;
}

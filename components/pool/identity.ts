/**
 * The pool's identity, checked: its hot keys (and what they say about the operational certificate),
 * its metadata (the exact bytes, their hash, where they are served), the certificate reminders and the
 * registration parameters. Pure: `now` is passed in.
 */
import { fullKey, type Settings } from "../config/settings";
import { checkPoolCost } from "../config/pool-numbers";
import { Findings } from "../config/problems";
import { readHotKeys, type HotKeys } from "../keys/hot-keys";
import { checkMetadataUrl, METADATA_URL_DEFAULT_MAX_BYTES } from "../metadata/url";
import { buildPoolMetadataFile, type PoolMetadataFile } from "../metadata/pool-metadata-file";
import type { PoolModel } from "../model/pool";

/** The object key of the hosted metadata file: short, because the whole URL must fit 64 bytes. */
export const METADATA_OBJECT_KEY = "meta.json";
/** Days before the operational certificate expires that a reminder is sent. */
export const REMINDER_DAYS = [14, 3] as const;

export interface MetadataHosting {
  /** The file's bytes and hash. */
  readonly file: PoolMetadataFile;
  /** What the registration certificate names. */
  readonly url: string;
  /** An S3 bucket the kit creates and serves the file from, or none (the operator hosts it). */
  readonly bucket: string | undefined;
}

export interface Reminder {
  readonly daysBefore: number;
  readonly at: Date;
}

export interface PoolIdentity {
  readonly hotKeys: HotKeys;
  /** The raw envelopes to deliver to the core, when the core forges. */
  readonly hotKeyFiles: { readonly kes: string; readonly vrf: string; readonly opcert: string } | undefined;
  readonly metadata: MetadataHosting | undefined;
  /** Certificate expiry reminders still in the future at deploy time. */
  readonly reminders: { readonly email: string; readonly expiresAt: Date; readonly at: readonly Reminder[] } | undefined;
  readonly registration: { readonly pledge: string | undefined; readonly cost: string | undefined; readonly margin: string | undefined };
}

/** Whether the core runs with forging keys (checked, or set but withheld from the plan). */
export function isForging(identity: PoolIdentity): boolean {
  return identity.hotKeys.state === "checked" || identity.hotKeys.state === "withheld";
}

/** The default bucket: short and derived from the ticker, so the URL fits 64 bytes in most regions. */
export function defaultMetadataBucket(ticker: string, network: string): string {
  return `${ticker.toLowerCase()}-${network}-meta`;
}

export function metadataBucketUrl(bucket: string, region: string): string {
  return `https://${bucket}.s3.${region}.amazonaws.com/${METADATA_OBJECT_KEY}`;
}

/** S3 bucket names usable in a virtual-hosted https URL: no dots, no reserved prefix or suffix. */
function isBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name) && !name.startsWith("xn--") && !name.endsWith("-s3alias");
}

function loadMetadata(settings: Settings, model: PoolModel, hosting: MetadataHostingPlace | undefined, findings: Findings): MetadataHosting | undefined {
  const declared = Object.keys(settings.metadata).length > 0;
  // Every problem in one run: a metadata URL's own problems are reported even when the file cannot be built.
  const given = settings.metadataUrl.trim();
  const checkGivenUrl = () => given === "" || checkMetadataUrl(given, fullKey("metadataUrl"), findings);
  if (!declared) {
    checkGivenUrl();
    if (settings.hostMetadata) {
      findings.problem(fullKey("hostMetadata"), "is true but stakepool:metadata is empty: there is nothing to host", `pulumi config set --path '${fullKey("metadata")}.ticker' MYPOOL (and name, description, homepage)`);
    }
    return undefined;
  }
  const file = buildPoolMetadataFile(settings.metadata, findings);
  if (!file) {
    checkGivenUrl();
    return undefined;
  }

  let bucket: string | undefined;
  let url = settings.metadataUrl.trim();
  if (settings.hostMetadata && hosting !== undefined) {
    bucket = settings.metadataBucket.trim() || defaultMetadataBucket(file.metadata.ticker, model.network.name);
    if (!isBucketName(bucket)) {
      findings.problem(fullKey("metadataBucket"), `${JSON.stringify(bucket)} is not a valid S3 bucket name (3-63 of a-z, 0-9 and -)`, `pulumi config set ${fullKey("metadataBucket")} ${file.metadata.ticker.toLowerCase()}-meta`);
      return undefined;
    }
    if (url === "") {
      url = metadataBucketUrl(bucket, hosting.s3Region);
      if (Buffer.byteLength(url) > METADATA_URL_DEFAULT_MAX_BYTES) {
        findings.problem(
          fullKey("metadataBucket"),
          `makes the metadata URL ${url} ${Buffer.byteLength(url)} bytes long; hardware wallets refuse more than ${METADATA_URL_DEFAULT_MAX_BYTES}`,
          `choose a shorter bucket name (pulumi config set ${fullKey("metadataBucket")} ${file.metadata.ticker.toLowerCase()}-m), ` +
            `or put a short custom domain in front of it: pulumi config set ${fullKey("metadataUrl")} 'https://<short domain>/${METADATA_OBJECT_KEY}'`,
        );
        return undefined;
      }
    } else if (!checkMetadataUrl(url, fullKey("metadataUrl"), findings)) {
      return undefined;
    }
  } else {
    if (url === "") {
      findings.problem(
        fullKey("metadataUrl"),
        "is empty: the registration certificate needs the URL where pool-metadata.json is served",
        `host pool-metadata.json byte for byte and pulumi config set ${fullKey("metadataUrl")} 'https://<your domain>/pool.json', or let the kit host it: pulumi config set ${fullKey("hostMetadata")} true`,
      );
      return undefined;
    }
    if (!checkMetadataUrl(url, fullKey("metadataUrl"), findings)) return undefined;
  }
  return { file, url, bucket };
}

/** Where the kit can host the metadata file: an S3 bucket in this region (the AWS backend), or nowhere. */
export interface MetadataHostingPlace {
  readonly s3Region: string;
}

export interface IdentityInputs {
  readonly settings: Settings;
  readonly model: PoolModel;
  readonly now: Date;
  readonly hosting: MetadataHostingPlace | undefined;
}

export function loadIdentity({ settings, model, now, hosting }: IdentityInputs): { identity: PoolIdentity; findings: Findings } {
  const findings = new Findings();
  const hotKeys = readHotKeys(
    { kesSigningKey: settings.kesSigningKey, vrfSigningKey: settings.vrfSigningKey, operationalCertificate: settings.operationalCertificate },
    model.network,
    now,
    { allowExpiredOpcert: settings.allowExpiredOpcert },
    findings,
  );
  const forging = hotKeys.state === "checked" || hotKeys.state === "withheld";
  const metadata = loadMetadata(settings, model, hosting, findings);

  let reminders: PoolIdentity["reminders"];
  // The reminders are AWS's (EventBridge Scheduler): on own servers the email gets the monitoring's alerts only.
  const email = hosting === undefined ? "" : settings.alertEmail.trim();
  if (email !== "") {
    const expiresAt = hotKeys.opcertStatus?.expiresAt;
    if (!expiresAt) {
      // With monitoring on, the address gets the alerts: nothing to warn about.
      if (!settings.monitoring) findings.warn(fullKey("alertEmail"), "is set, but there is no readable operational certificate to remind you of; no reminder is scheduled");
    } else {
      const at = REMINDER_DAYS.map((days) => ({ daysBefore: days, at: new Date(expiresAt.getTime() - days * 86_400_000) })).filter(
        (r) => r.at.getTime() > now.getTime(),
      );
      reminders = { email, expiresAt, at };
    }
  }

  checkPoolCost(settings.cost.trim(), model.network.name, fullKey("cost"), findings);
  const orPlaceholder = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return {
    identity: {
      hotKeys,
      hotKeyFiles: forging ? { kes: settings.kesSigningKey, vrf: settings.vrfSigningKey, opcert: settings.operationalCertificate } : undefined,
      metadata,
      reminders,
      registration: { pledge: orPlaceholder(settings.pledge), cost: orPlaceholder(settings.cost), margin: orPlaceholder(settings.margin) },
    },
    findings,
  };
}

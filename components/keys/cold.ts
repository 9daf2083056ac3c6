/**
 * Cold keys and the issue counter never enter the kit. Whatever setting they turn up in, they are
 * refused with an explanation, because a cold key in a stack file is a cold key on every laptop and
 * CI runner that ever checked the repository out.
 */
import type { Findings } from "../config/problems";
import { shellQuote, singleQuote } from "../config/shell";
import { coldSeedsIn, stringsOf } from "./cold-seed";
import { COLD_BECH32_PREFIXES, COLD_TYPES, coldKindOf, type ColdKind } from "./envelope-types";

/** A cold item found in a value: its envelope type, or the bech32 prefix it was written with. */
export interface ColdFinding {
  readonly kind: ColdKind;
  /** The envelope type or bech32 prefix; never the key itself. */
  readonly label: string;
}

const TYPE_PATTERN = new RegExp(`\\b(${Object.keys(COLD_TYPES).join("|")})\\b`);
const BECH32_PATTERN = new RegExp(`\\b(${COLD_BECH32_PREFIXES.join("|")})1[02-9ac-hj-np-z]{6,}`, "i");

/** Finds a cold signing key or an issue counter anywhere in `value` (envelope, bech32, or pasted text). */
export function findColdMaterial(value: string): ColdFinding | undefined {
  const byType = TYPE_PATTERN.exec(value);
  if (byType) {
    const label = byType[1]!;
    return { kind: coldKindOf(label) ?? "cold-signing-key", label };
  }
  const byBech32 = BECH32_PATTERN.exec(value);
  if (byBech32) return { kind: "cold-signing-key", label: `${byBech32[1]!.toLowerCase()}1…` };
  return undefined;
}

/** True for `namespace:key` settings (fixes say `pulumi config rm`); false for files and CLI inputs. */
function isConfigKey(setting: string): boolean {
  return /^[A-Za-z0-9_.-]+:./.test(setting) && !setting.includes("/");
}

/** The problem for a cold item found in `setting`. Exported so the CLI and the program word it alike. */
export function coldProblem(setting: string, found: ColdFinding): { message: string; fix: string } {
  // A value inside a mapping or a list (stakepool:metadata.extVkey, stakepool:extraPeers[0]) is removed by path.
  const inside = /^[^:]+:[^.[]+[.[]/.test(setting);
  const remove = isConfigKey(setting)
    ? `Remove it now: pulumi config rm ${inside ? `--path ${singleQuote(setting)}` : shellQuote(setting)}. Then check the history of the stack file ` +
      `(git log -p -- 'stacks/Pulumi.*.yaml') and wherever else the value was pasted`
    : `Move ${setting} back to the offline machine and delete every online copy`;
  const what =
    found.kind === "issue-counter"
      ? `holds the operational-certificate issue counter (${found.label})`
      : `holds a stake pool cold signing key (${found.label})`;
  const message =
    `${what}. Cold keys and the issue counter must stay on the offline machine: the kit and the core never ` +
    `need them, only cardano-cli on that machine does, to issue the next operational certificate. ` +
    `A cold key that was put into config must be treated as exposed: anyone who saw it can issue ` +
    `operational certificates for your pool.`;
  const fix =
    `${remove}; if a cold key was ever in it, treat that key as exposed. ` +
    `The core needs only its hot keys: kes.skey, vrf.skey and node.cert ` +
    `(pulumi config set --secret stakepool:operationalCertificate < node.cert).`;
  return { message, fix };
}

/**
 * Records a problem if `value` (of `setting`) carries a cold signing key or the issue counter.
 * Returns true when it did, so the caller stops looking at the value.
 */
export function refuseColdMaterial(setting: string, value: string, findings: Findings): boolean {
  const found = findColdMaterial(value);
  if (!found) return false;
  const { message, fix } = coldProblem(setting, found);
  findings.problem(setting, message, fix);
  return true;
}

/** What else to look for in config besides envelopes and bech32: the pool's cold key by its seed. */
export interface ColdScanOptions {
  /** The cold verification key the operational certificate names: a 32-byte value whose public key it is, is refused. */
  readonly coldVerificationKey?: Uint8Array;
  /** Whether a setting's value is a mapping or list in JSON (each string in it is then named by its path). */
  readonly structured?: (setting: string) => boolean;
}

/** The label of a cold signing key found by its public key: what it is, never the key. */
const SEED_LABEL = "32 bytes whose Ed25519 public key is the cold verification key of stakepool:operationalCertificate";

/**
 * Checks every config value (any namespace, any setting, known or not) for cold material, so a cold key
 * is refused even when it was put under a made-up setting name, and, given the certificate's cold key,
 * even as bare hex under any name. Returns the number of settings refused.
 */
export function refuseColdMaterialInConfig(values: Readonly<Record<string, string>>, findings: Findings, options: ColdScanOptions = {}): number {
  let count = 0;
  for (const setting of Object.keys(values).sort()) {
    const value = values[setting]!;
    if (refuseColdMaterial(setting, value, findings)) {
      count++;
      continue;
    }
    const key = options.coldVerificationKey;
    if (!key) continue;
    for (const at of stringsOf(setting, value, options.structured?.(setting) ?? false)) {
      if (coldSeedsIn(at.text, key).length === 0) continue;
      const { message, fix } = coldProblem(at.setting, { kind: "cold-signing-key", label: SEED_LABEL });
      findings.problem(at.setting, message, fix);
      count++;
    }
  }
  return count;
}

/** The cold signing keys (lower-case hex) written anywhere in `values`: what no message may ever echo. */
export function coldSeedsInConfig(values: Readonly<Record<string, string>>, coldVerificationKey: Uint8Array | undefined): string[] {
  if (!coldVerificationKey) return [];
  return [...new Set(Object.values(values).flatMap((v) => coldSeedsIn(v, coldVerificationKey)))];
}

/**
 * The operational certificate (node.cert): which KES key the cold key vouches for, from which KES
 * period, under which issue number. Everything in it is public (it is in every block header), so the
 * plan may show it; the kit still stores it as a secret with the other hot files.
 *
 * CBOR (cardano-api `OperationalCertificate`, ledger `OCert`):
 *   [[kes_vkey: bytes .size 32, counter: uint, kes_period: uint, sigma: bytes .size 64], cold_vkey: bytes .size 32]
 */
import { decodeCbor } from "./cbor";
import { Findings } from "../config/problems";
import { parseEnvelope } from "./envelope";
import { HOT_KEYS } from "./envelope-types";

/** The decoded certificate; all of it is public data. */
export interface OperationalCertificate {
  /** The hot KES verification key the certificate delegates to (32 bytes). */
  readonly kesVerificationKey: Uint8Array;
  /** Issue number; the chain accepts m ≤ counter ≤ m + 1, m being the last one it saw. */
  readonly counter: number;
  /** KES period from which the certificate is valid (cardano-cli's `--kes-period`). */
  readonly startKesPeriod: number;
  /** The cold key's signature over KES key, counter and period (64 bytes). */
  readonly coldSignature: Uint8Array;
  /** The pool's cold verification key (32 bytes); its hash is the pool id. */
  readonly coldVerificationKey: Uint8Array;
}

const SHAPE =
  "[[KES verification key (32 bytes), counter, start KES period, signature (64 bytes)], cold verification key (32 bytes)]";

function bytesOf(value: unknown, length: number): Uint8Array | undefined {
  return value instanceof Uint8Array && value.length === length ? Uint8Array.from(value) : undefined;
}

function naturalOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "bigint" && value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  return undefined;
}

/**
 * Decodes the certificate's CBOR. Problems (malformed CBOR, wrong shape, a field of the wrong type or
 * size) go to `findings` under `setting`; returns undefined then.
 */
export function decodeOpcert(
  cbor: Uint8Array,
  findings: Findings,
  setting: string = HOT_KEYS.operationalCertificate.setting,
): OperationalCertificate | undefined {
  const fix =
    setting === HOT_KEYS.operationalCertificate.setting
      ? `pulumi config set --secret ${setting} < node.cert (the file \`cardano-cli node issue-op-cert\` wrote, unchanged)`
      : "give the node.cert file that `cardano-cli node issue-op-cert` wrote, unchanged";
  let value: unknown;
  try {
    value = cbor.length === 0 ? undefined : decodeCbor(cbor);
  } catch {
    value = undefined;
  }
  if (value === undefined) {
    findings.problem(setting, "is not well-formed CBOR, so it is not an operational certificate (damaged or truncated file?)", fix);
    return undefined;
  }
  const bad = (what: string): undefined => {
    findings.problem(setting, `is not an operational certificate: ${what}; expected ${SHAPE}`, fix);
    return undefined;
  };
  if (!Array.isArray(value) || value.length !== 2) return bad("the CBOR is not a 2-element array");
  const [body, cold] = value as [unknown, unknown];
  if (!Array.isArray(body) || body.length !== 4) return bad("the certificate body is not a 4-element array");
  const [kes, counterRaw, periodRaw, sigma] = body as [unknown, unknown, unknown, unknown];
  const kesVerificationKey = bytesOf(kes, 32);
  if (!kesVerificationKey) return bad("the KES verification key is not a 32-byte string");
  const counter = naturalOf(counterRaw);
  if (counter === undefined) return bad("the counter is not a whole number in range");
  const startKesPeriod = naturalOf(periodRaw);
  if (startKesPeriod === undefined) return bad("the start KES period is not a whole number in range");
  const coldSignature = bytesOf(sigma, 64);
  if (!coldSignature) return bad("the signature is not a 64-byte string");
  const coldVerificationKey = bytesOf(cold, 32);
  if (!coldVerificationKey) return bad("the cold verification key is not a 32-byte string");
  return { kesVerificationKey, counter, startKesPeriod, coldSignature, coldVerificationKey };
}

/**
 * Reads node.cert as given in config (or a file, for the CLI): checks the envelope (refusing cold
 * material and other types), then decodes the certificate.
 */
export function readOperationalCertificate(
  text: string,
  findings: Findings,
  setting: string = HOT_KEYS.operationalCertificate.setting,
): OperationalCertificate | undefined {
  const envelope = parseEnvelope("operationalCertificate", text, findings, setting);
  return envelope ? decodeOpcert(envelope.cbor, findings, setting) : undefined;
}

/** The pool's cold verification key, from the operational certificate's text; undefined when it cannot be read. */
export function coldVerificationKeyOf(opcertText: string | undefined): Uint8Array | undefined {
  if (opcertText === undefined || opcertText.trim() === "") return undefined;
  return readOperationalCertificate(opcertText, new Findings())?.coldVerificationKey;
}

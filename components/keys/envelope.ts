/**
 * Reads a cardano-cli text envelope (`{"type", "description", "cborHex"}`) given in a hot-key setting,
 * and refuses anything the core cannot use: cold material, the wrong key, a file that is not an
 * envelope, hex that is not CBOR, a key of the wrong size. Messages name the setting and the types,
 * never the key material.
 */
import { decodeCbor } from "./cbor";
import type { Findings } from "../config/problems";
import { refuseColdMaterial } from "./cold";
import {
  HOT_KEYS,
  KES_SUM7_LEGACY_SIGNING_KEY_BYTES,
  type HotKeyExpectation,
  type HotKeyName,
} from "./envelope-types";

/**
 * A parsed envelope. The key material is held in private fields: `JSON.stringify`, `console.log` and
 * Pulumi's serialisation of this object show only the type and sizes, so it cannot leak into a plan.
 */
export class TextEnvelope {
  readonly type: string;
  readonly description: string;
  readonly #cbor: Uint8Array;
  readonly #keyBytes: Uint8Array | undefined;

  constructor(type: string, description: string, cbor: Uint8Array, keyBytes: Uint8Array | undefined) {
    this.type = type;
    this.description = description;
    this.#cbor = cbor;
    this.#keyBytes = keyBytes;
  }

  /** The bytes of `cborHex`. */
  get cbor(): Uint8Array {
    return this.#cbor;
  }

  /** For a key: the raw key inside the CBOR byte string. Undefined for the operational certificate. */
  get keyBytes(): Uint8Array | undefined {
    return this.#keyBytes;
  }

  toJSON(): { type: string; description: string; cborBytes: number } {
    return { type: this.type, description: this.description, cborBytes: this.#cbor.length };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `TextEnvelope(${this.type}, ${this.#cbor.length} CBOR bytes, contents hidden)`;
  }
}

/** A type is repeated in messages only if it looks like one: cardano-cli types start with a capital and hold no long hex. */
function isSafeToShow(type: string): boolean {
  return /^[A-Z][A-Za-z0-9_^.-]{0,99}$/.test(type) && !/[0-9a-fA-F]{12}/.test(type);
}

function setCommand(expect: HotKeyExpectation, setting: string): string {
  return setting === expect.setting
    ? `pulumi config set --secret ${setting} < ${expect.file}`
    : `give the ${expect.file} file that \`${expect.madeBy}\` wrote, unchanged`;
}

/** Why a value that is not JSON was not accepted, without repeating it. */
function notJsonMessage(text: string, expect: HotKeyExpectation): string {
  if (/^[a-z_]+_x?sk1[02-9ac-hj-np-z]+$/i.test(text)) {
    return `is a bech32 key; the node reads ${expect.file} only as a text envelope (write it without --key-output-bech32)`;
  }
  if (/^[0-9a-fA-F]+$/.test(text)) {
    return `is bare hex; it must be the whole ${expect.file} text envelope (JSON with "type" and "cborHex")`;
  }
  return `is not a cardano-cli text envelope (expected the JSON of ${expect.file}: "type", "description", "cborHex")`;
}

function wrongTypeMessage(type: string, expect: HotKeyExpectation): string {
  const shown = isSafeToShow(type) ? `"${type}"` : "an unrecognised type";
  const other = Object.values(HOT_KEYS).find((k) => k.type === type);
  if (other) {
    return `holds the ${other.file} (type ${shown}), but this setting takes ${expect.file} (type "${expect.type}"); it belongs in ${other.setting}`;
  }
  const signing = /SigningKey/.test(type)
    ? " This is a signing key the core never uses: keep it offline, and if it was stored in plain text, treat it as exposed."
    : "";
  return `has type ${shown}, but this setting takes "${expect.type}" (the ${expect.file} written by \`${expect.madeBy}\`).${signing}`;
}

/** Decodes one CBOR item; not ok when the bytes are not exactly one well-formed item. */
function tryDecode(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  if (bytes.length === 0) return { ok: false };
  try {
    return { ok: true, value: decodeCbor(bytes) };
  } catch {
    return { ok: false };
  }
}

/**
 * Parses the envelope given for the hot key `name`. Problems go to `findings` under `setting` (by
 * default the key's `stakepool:` setting; the CLI passes the file it read). Returns undefined when
 * the envelope cannot be used.
 *
 * For the operational certificate this checks the envelope only; `readOperationalCertificate`
 * (opcert.ts) also decodes and checks the certificate itself.
 */
export function parseEnvelope(
  name: HotKeyName,
  text: string,
  findings: Findings,
  setting: string = HOT_KEYS[name].setting,
): TextEnvelope | undefined {
  const expect = HOT_KEYS[name];
  const fix = setCommand(expect, setting);
  if (refuseColdMaterial(setting, text, findings)) return undefined;

  const trimmed = text.trim();
  if (trimmed === "") {
    findings.problem(setting, "is empty", fix);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    findings.problem(setting, notJsonMessage(trimmed, expect), fix);
    return undefined;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    findings.problem(setting, `is not a text envelope (expected a JSON object with "type" and "cborHex")`, fix);
    return undefined;
  }
  const fields = json as Record<string, unknown>;
  const { type, cborHex } = fields;
  const description = typeof fields.description === "string" ? fields.description : "";
  if (typeof type !== "string" || typeof cborHex !== "string") {
    findings.problem(setting, `is not a complete text envelope: "type" and "cborHex" must both be strings`, fix);
    return undefined;
  }
  if (type !== expect.type) {
    findings.problem(setting, wrongTypeMessage(type, expect), fix);
    return undefined;
  }
  if (cborHex.length === 0 || cborHex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(cborHex)) {
    findings.problem(setting, `has a "cborHex" that is not an even number of hexadecimal digits (damaged or truncated file?)`, fix);
    return undefined;
  }
  const cbor = Uint8Array.from(Buffer.from(cborHex, "hex"));
  const decoded = tryDecode(cbor);
  if (!decoded.ok) {
    findings.problem(setting, `has a "cborHex" that is not one well-formed CBOR item (damaged or truncated file?)`, fix);
    return undefined;
  }
  if (expect.keyBytes === undefined) return new TextEnvelope(type, description, cbor, undefined);

  const value = decoded.value;
  if (!(value instanceof Uint8Array)) {
    findings.problem(setting, `has a "cborHex" that is not a CBOR byte string, so it is not a ${expect.type} key`, fix);
    return undefined;
  }
  if (value.length !== expect.keyBytes) {
    const legacy =
      name === "kesSigningKey" && value.length === KES_SUM7_LEGACY_SIGNING_KEY_BYTES
        ? ` ${KES_SUM7_LEGACY_SIGNING_KEY_BYTES} bytes is the 2^7-period KES key of early cardano-cli releases; today's cardano-node cannot read it.`
        : "";
    findings.problem(
      setting,
      `holds a ${value.length}-byte key, but a ${expect.type} key is ${expect.keyBytes} bytes.${legacy}`,
      name === "kesSigningKey"
        ? `make a new KES key pair with \`${expect.madeBy}\` (a current cardano-cli), issue a new node.cert for it on the offline machine, and ${fix}`
        : `copy the original ${expect.file} again, unchanged, and ${fix} (a new VRF key would need a new pool registration certificate)`,
    );
    return undefined;
  }
  return new TextEnvelope(type, description, cbor, Uint8Array.from(value));
}

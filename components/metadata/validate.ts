/**
 * Checks the pool metadata the operator declared (`stakepool:metadata`, set field by field with
 * `pulumi config set --path`), so that what the kit publishes passes cardano-cli, db-sync and the
 * wallets. Every problem names the field's setting (`stakepool:metadata.ticker`) and how to fix it.
 */
import type { Findings } from "../config/problems";
import { shellQuote, singleQuote } from "../config/shell";
import { charCount, fieldSetting, FIELD_ORDER, LIMITS, METADATA_SETTING, type MetadataField, type PoolMetadata } from "./fields";
import { isCurvePoint } from "../keys/cold-seed";
import { parseWebUrl, urlCharacterError } from "./url";

const TICKER = /^[A-Z0-9]{3,5}$/;
const EXT_VKEY = /^[0-9a-fA-F]{68}$/;

/** `pulumi config set --path <setting> <value>`, each a shell word: a field's name may come from config. */
function setCommand(setting: string, value: string): string {
  return `pulumi config set --path ${singleQuote(setting)} ${shellQuote(value)}`;
}

/** A ticker the operator probably meant, for the fix; undefined if none is obvious. */
function tickerSuggestion(ticker: string): string | undefined {
  const cleaned = ticker.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return TICKER.test(cleaned) ? cleaned : undefined;
}

function isField(key: string): key is MetadataField {
  return (FIELD_ORDER as readonly string[]).includes(key);
}

/**
 * Validates `raw` (an object, or its JSON text as Pulumi hands structured config over) under the
 * setting `base`. Returns the metadata when every check passed; problems and warnings go to `findings`.
 */
export function validateMetadata(raw: unknown, findings: Findings, base: string = METADATA_SETTING): PoolMetadata | undefined {
  let value = raw;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      value = undefined;
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    findings.problem(
      base,
      "must be an object with name, description, ticker and homepage",
      `${setCommand(fieldSetting("name", base), "My Pool")}; likewise description, ticker and homepage`,
    );
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  const before = findings.problems.length;

  for (const key of Object.keys(fields).sort()) {
    if (isField(key)) continue;
    const meant = FIELD_ORDER.find((f) => f.toLowerCase() === key.toLowerCase());
    findings.problem(
      fieldSetting(key, base),
      `is not a pool metadata field${meant ? ` (did you mean ${meant}?)` : ""}; the fields are ${FIELD_ORDER.join(", ")}`,
      `pulumi config rm --path ${singleQuote(fieldSetting(key, base))}`,
    );
  }

  const text = (field: MetadataField, required: boolean, example: string): string | undefined => {
    const setting = fieldSetting(field, base);
    const v = fields[field];
    if (v === undefined || v === null) {
      if (required) findings.problem(setting, "is required", setCommand(setting, example));
      return undefined;
    }
    if (typeof v !== "string") {
      findings.problem(setting, `must be text (got ${typeof v})`, setCommand(setting, example));
      return undefined;
    }
    return v;
  };

  const name = text("name", true, "My Pool");
  if (name !== undefined) {
    const n = charCount(name);
    if (n === 0 || name.trim() === "") findings.problem(fieldSetting("name", base), "is empty", setCommand(fieldSetting("name", base), "My Pool"));
    else if (n > LIMITS.nameMaxChars) {
      findings.problem(
        fieldSetting("name", base),
        `has ${n} characters; at most ${LIMITS.nameMaxChars} are allowed (cardano-cli and db-sync reject longer)`,
        setCommand(fieldSetting("name", base), `<a name of up to ${LIMITS.nameMaxChars} characters>`),
      );
    }
  }

  const description = text("description", true, "What the pool offers");
  if (description !== undefined && charCount(description) > LIMITS.descriptionMaxChars) {
    findings.problem(
      fieldSetting("description", base),
      `has ${charCount(description)} characters; at most ${LIMITS.descriptionMaxChars} are allowed`,
      setCommand(fieldSetting("description", base), `<up to ${LIMITS.descriptionMaxChars} characters>`),
    );
  }

  const ticker = text("ticker", true, "POOL");
  if (ticker !== undefined && !TICKER.test(ticker)) {
    const suggestion = tickerSuggestion(ticker);
    findings.problem(
      fieldSetting("ticker", base),
      `must be ${LIMITS.tickerMinChars} to ${LIMITS.tickerMaxChars} characters, each A–Z or 0–9 (got ${JSON.stringify(ticker)})`,
      setCommand(fieldSetting("ticker", base), suggestion ?? "POOL"),
    );
  }

  const homepage = text("homepage", true, "https://example.com");
  if (homepage !== undefined) {
    const setting = fieldSetting("homepage", base);
    const character = urlCharacterError(homepage);
    if (character) {
      findings.problem(setting, character, setCommand(setting, "https://example.com"));
    } else if (!parseWebUrl(homepage)) {
      findings.problem(setting, `must be an absolute http(s) URL, in ASCII (got ${JSON.stringify(homepage)})`, setCommand(setting, "https://example.com"));
    } else if (charCount(homepage) > LIMITS.homepageRecommendedMaxChars) {
      findings.warn(setting, `has ${charCount(homepage)} characters; CIP-6 asks for at most ${LIMITS.homepageRecommendedMaxChars}, and some explorers cut longer ones`);
    }
  }

  const extUrl = (field: "extDataUrl" | "extSigUrl"): string | undefined => {
    const url = text(field, false, "https://example.com/extended.json");
    if (url === undefined) return undefined;
    const setting = fieldSetting(field, base);
    const character = urlCharacterError(url);
    if (character) {
      findings.problem(setting, character, setCommand(setting, "https://example.com/extended.json"));
    } else if (!parseWebUrl(url)) {
      findings.problem(setting, `must be an absolute http(s) URL, in ASCII (got ${JSON.stringify(url)})`, setCommand(setting, "https://example.com/extended.json"));
    } else if (charCount(url) > LIMITS.extUrlMaxChars) {
      findings.problem(setting, `has ${charCount(url)} characters; CIP-6 allows at most ${LIMITS.extUrlMaxChars}`, setCommand(setting, "<a shorter URL>"));
    }
    return url;
  };
  const extDataUrl = extUrl("extDataUrl");
  const extSigUrl = extUrl("extSigUrl");
  const extVkey = text("extVkey", false, "<the cborHex of extData.vkey>");
  if (extVkey !== undefined) {
    const setting = fieldSetting("extVkey", base);
    const fix = setCommand(setting, "<cborHex of extData.vkey>");
    if (!EXT_VKEY.test(extVkey)) {
      findings.problem(
        setting,
        `must be ${LIMITS.extVkeyChars} hex digits: the "cborHex" of the extended-metadata verification key (extData.vkey), never of a signing key`,
        fix,
      );
    } else if (!extVkey.toLowerCase().startsWith("5820")) {
      // A verification key's cborHex is a CBOR byte string of 32 bytes: 0x58 0x20 and the key.
      findings.problem(setting, `must start with 5820 (a CBOR string of 32 bytes, as every Ed25519 verification key's cborHex does); this one is not a verification key`, fix);
    } else if (!isCurvePoint(Buffer.from(extVkey.slice(4), "hex"))) {
      // The same shape holds a 32-byte signing key; only bytes off the curve tell it apart (components/keys/cold-seed.ts).
      findings.problem(
        setting,
        "is not a verification key: its 32 bytes are not a point of the Ed25519 curve, as every verification key's are. " +
          "A signing key has the same shape (5820 and 32 bytes): if you copied extData.skey, it is now exposed; make a new pair",
        fix,
      );
    }
  }
  if ((extSigUrl === undefined) !== (extVkey === undefined)) {
    const missing = extSigUrl === undefined ? "extSigUrl" : "extVkey";
    findings.problem(
      fieldSetting(missing, base),
      "is required when the other of extSigUrl and extVkey is set: a signature cannot be checked without its key, nor a key used without a signature",
      setCommand(fieldSetting(missing, base), missing === "extSigUrl" ? "https://example.com/extended.sig" : "<cborHex of extData.vkey>"),
    );
  }
  if (extSigUrl !== undefined && extDataUrl === undefined) {
    findings.problem(
      fieldSetting("extDataUrl", base),
      "is required when extSigUrl is set: the signature is over the extended metadata at extDataUrl",
      setCommand(fieldSetting("extDataUrl", base), "https://example.com/extended.json"),
    );
  }

  if (findings.problems.length > before) return undefined;
  return {
    name: name!,
    description: description!,
    ticker: ticker!,
    homepage: homepage!,
    ...(extDataUrl !== undefined ? { extDataUrl } : {}),
    ...(extSigUrl !== undefined ? { extSigUrl } : {}),
    ...(extVkey !== undefined ? { extVkey } : {}),
  };
}

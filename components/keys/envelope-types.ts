/**
 * The cardano-cli text-envelope types the kit knows, and what each one means for the kit.
 *
 * Sources: cardano-api's text-envelope catalogue (`textEnvelopeType` of each key role), cardano-cli
 * `node issue-op-cert` (the signing keys it accepts as a block issuer's cold key), cardano-base
 * `Cardano.Crypto.KES.Sum` and `Cardano.Crypto.DSIGN.Ed25519` (key sizes), cardano-crypto-praos (VRF).
 */

/** The settings that carry the core's hot keys, as `pulumi config` names them. */
export const HOT_KEY_SETTINGS = {
  kesSigningKey: "stakepool:kesSigningKey",
  vrfSigningKey: "stakepool:vrfSigningKey",
  operationalCertificate: "stakepool:operationalCertificate",
} as const;

/** The three hot files by their short name (the setting without `stakepool:`). */
export type HotKeyName = keyof typeof HOT_KEY_SETTINGS;
/** The full `stakepool:` names of the hot-key settings. */
export type HotKeySetting = (typeof HOT_KEY_SETTINGS)[HotKeyName];

/**
 * Raw size of a Sum6 KES signing key (`Sum6KES Ed25519DSIGN Blake2b_256`, the key of Praos): a
 * SumKES key is its left child's key, the right child's 32-byte seed, and both children's 32-byte
 * verification keys; the leaf is a 32-byte Ed25519 seed. 32 + 6 × (32 + 2 × 32) = 608.
 */
export const KES_SUM6_SIGNING_KEY_BYTES = 608;

/**
 * Size of the KES key early cardano-cli releases wrote under the same envelope type: a 2^7 (Sum7)
 * tree, 32 + 7 × 96 = 704 bytes. Today's node decodes only 608-byte keys and refuses to start with it.
 */
export const KES_SUM7_LEGACY_SIGNING_KEY_BYTES = 704;

/** Praos VRF signing key: libsodium's 32-byte seed followed by the 32-byte public key. */
export const VRF_SIGNING_KEY_BYTES = 64;

/** What the core needs from an envelope given in a hot-key setting. */
export interface HotKeyExpectation {
  readonly setting: HotKeySetting;
  /** The envelope `type` cardano-cli writes for it. */
  readonly type: string;
  /** What the operator calls the file, for messages. */
  readonly file: string;
  /** The cardano-cli command that makes it. */
  readonly madeBy: string;
  /**
   * Keys are one CBOR byte string of exactly this many bytes; the operational certificate is a CBOR
   * array checked by `decodeOpcert`, so it has no fixed size here.
   */
  readonly keyBytes: number | undefined;
}

/** Per hot file: its setting, envelope type, file name, the command that makes it, and its key size. */
export const HOT_KEYS: Readonly<Record<HotKeyName, HotKeyExpectation>> = {
  kesSigningKey: {
    setting: HOT_KEY_SETTINGS.kesSigningKey,
    type: "KesSigningKey_ed25519_kes_2^6",
    file: "kes.skey",
    madeBy: "cardano-cli node key-gen-KES",
    keyBytes: KES_SUM6_SIGNING_KEY_BYTES,
  },
  vrfSigningKey: {
    setting: HOT_KEY_SETTINGS.vrfSigningKey,
    type: "VrfSigningKey_PraosVRF",
    file: "vrf.skey",
    madeBy: "cardano-cli node key-gen-VRF",
    keyBytes: VRF_SIGNING_KEY_BYTES,
  },
  operationalCertificate: {
    setting: HOT_KEY_SETTINGS.operationalCertificate,
    type: "NodeOperationalCertificate",
    file: "node.cert",
    madeBy: "cardano-cli node issue-op-cert",
    keyBytes: undefined,
  },
};

/** Why a type belongs on the offline machine. */
export type ColdKind = "cold-signing-key" | "issue-counter";

/**
 * Envelope types that must never reach the kit: every signing key `cardano-cli node issue-op-cert`
 * accepts as the block issuer's cold key (normal and extended/BIP32 stake pool keys, and genesis
 * delegate keys, which play the same role on a private network), and the issue counter.
 */
export const COLD_TYPES: Readonly<Record<string, ColdKind>> = {
  StakePoolSigningKey_ed25519: "cold-signing-key",
  StakePoolExtendedSigningKey_ed25519_bip32: "cold-signing-key",
  GenesisDelegateSigningKey_ed25519: "cold-signing-key",
  GenesisDelegateExtendedSigningKey_ed25519_bip32: "cold-signing-key",
  NodeOperationalCertificateIssueCounter: "issue-counter",
};

/**
 * Bech32 prefixes of cold signing keys (`cardano-cli node key-gen --key-output-bech32` writes
 * `pool_sk1…`; the extended key is `pool_xsk1…`).
 */
export const COLD_BECH32_PREFIXES: readonly string[] = ["pool_sk", "pool_xsk"];

/** Whether an envelope type is cold material, and which kind; undefined for any other type. */
export function coldKindOf(type: string): ColdKind | undefined {
  return Object.prototype.hasOwnProperty.call(COLD_TYPES, type) ? COLD_TYPES[type] : undefined;
}

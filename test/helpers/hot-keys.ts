/**
 * A consistent set of hot keys for tests: the vector-derived Sum6 KES key (test/fixtures/keys), the
 * vector VRF key, and an operational certificate issued for that KES key at a chosen start period.
 * Like the shared node.opcert vector, the certificate is a parsing fixture: its cold signature is
 * zeros and does not verify (the kit does not verify it; the node would, on chain).
 */
import { kesPeriodAt } from "../../components/keys/kes";
import { kesVerificationKeyOf } from "../../components/keys/kes-key";
import { NETWORKS } from "../../components/networks/networks";
import { fixtureText } from "../fixtures/paths";

function cborHead(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(value, 1);
  return b;
}
const uint = (n: number) => cborHead(0, n);
const bytes = (b: Uint8Array) => Buffer.concat([cborHead(2, b.length), Buffer.from(b)]);
const array = (...items: Buffer[]) => Buffer.concat([cborHead(4, items.length), ...items]);

function cborBytesOf(envelope: string): Uint8Array {
  const hex = (JSON.parse(envelope) as { cborHex: string }).cborHex;
  const raw = Buffer.from(hex, "hex");
  // A CBOR byte string: 0x58 <len> for < 256 bytes, 0x59 <len16> otherwise.
  return raw[0] === 0x59 ? raw.subarray(3) : raw.subarray(2);
}

export const KES_SKEY = fixtureText("keys/kes-sum6.skey");
export const VRF_SKEY = fixtureText("keys/vrf.skey");
export const COLD_SKEY = fixtureText("keys/cold.skey");
export const COLD_COUNTER = fixtureText("keys/cold.counter");

/**
 * An opcert envelope for KES_SKEY with the given counter and start KES period, naming `coldVkey` as the
 * pool's cold key (default: cold.vkey's; note that cold.skey is NOT cold.vkey's signing key: see
 * test/helpers/cold.ts for a certificate whose cold key is cold.skey's).
 */
export function opcertFor(startKesPeriod: number, counter = 0, coldVkey: Uint8Array = cborBytesOf(fixtureText("keys/cold.vkey"))): string {
  const kesVkey = kesVerificationKeyOf(cborBytesOf(KES_SKEY));
  const cbor = array(array(bytes(kesVkey), uint(counter), uint(startKesPeriod), bytes(new Uint8Array(64))), bytes(coldVkey));
  return JSON.stringify({ type: "NodeOperationalCertificate", description: "", cborHex: cbor.toString("hex") }, null, 4);
}

/** The three hot-key settings, with a certificate valid at `now` on preview (a forging core). */
export function signingKeyConfig(now = new Date("2026-11-26T00:00:00Z")): Record<string, string> {
  const period = kesPeriodAt(NETWORKS.preview.timing, now);
  return { kesSigningKey: KES_SKEY, vrfSigningKey: VRF_SKEY, operationalCertificate: opcertFor(period) };
}

import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSshPublicKey } from "../../components/config/ssh-key";
import { EXAMPLE_SSH_KEY } from "../helpers/config";

/** Encodes an RSA public key in OpenSSH's one-line format. */
function opensshRsa(bits: number): string {
  const { publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = publicKey.export({ format: "jwk" });
  const mpint = (b64url: string) => {
    let bytes = Buffer.from(b64url, "base64url");
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return bytes;
  };
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (b.length >>> (8 * (3 - i))) & 0xff)), b]);
  const blob = Buffer.concat([field(Buffer.from("ssh-rsa")), field(mpint(jwk.e!)), field(mpint(jwk.n!))]);
  return `ssh-rsa ${blob.toString("base64")} test@example.invalid`;
}

describe("the operator's SSH public key", () => {
  it("accepts an ssh-ed25519 key and keeps its comment", () => {
    expect(checkSshPublicKey(`  ${EXAMPLE_SSH_KEY}\n`)).toEqual({ ok: true, key: EXAMPLE_SSH_KEY, type: "ssh-ed25519" });
  });

  it("accepts RSA of 2048 bits and refuses 1024", () => {
    expect(checkSshPublicKey(opensshRsa(2048)).ok).toBe(true);
    const weak = checkSshPublicKey(opensshRsa(1024));
    expect(weak).toMatchObject({ ok: false });
    expect(!weak.ok && weak.message).toContain("1024-bit RSA");
  });

  it("refuses a private key pasted by mistake, saying why", () => {
    const result = checkSshPublicKey("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----");
    expect(!result.ok && result.message).toContain("PRIVATE key");
  });

  it("refuses a key cut short, a wrong type and a mislabelled blob", () => {
    const [type, blob] = EXAMPLE_SSH_KEY.split(" ");
    expect(checkSshPublicKey(`${type} ${blob!.slice(0, 40)}`).ok).toBe(false);
    expect(checkSshPublicKey(`ssh-dss ${blob}`).ok).toBe(false);
    expect(checkSshPublicKey(`ssh-rsa ${blob}`).ok).toBe(false);
    expect(checkSshPublicKey("hello").ok).toBe(false);
  });
});

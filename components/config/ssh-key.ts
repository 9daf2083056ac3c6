/**
 * Checks the operator's SSH public key before it becomes an EC2 key pair and an authorized key:
 * OpenSSH one-line format, a type EC2 imports (ssh-ed25519, or ssh-rsa of 2048 bits or more),
 * and a key blob that really holds a key of the declared type.
 */

export type SshKeyCheck = { ok: true; key: string; type: string } | { ok: false; message: string };

const ACCEPTED = ["ssh-ed25519", "ssh-rsa"] as const;

/** Reads the SSH wire format's length-prefixed strings out of a key blob. */
function readFields(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(at);
    at += 4;
    if (at + length > blob.length) return undefined;
    fields.push(blob.subarray(at, at + length));
    at += length;
  }
  return fields;
}

function rsaModulusBits(modulus: Buffer): number {
  let start = 0;
  while (start < modulus.length && modulus[start] === 0) start++;
  if (start === modulus.length) return 0;
  return (modulus.length - start - 1) * 8 + Math.floor(Math.log2(modulus[start]!)) + 1;
}

export function checkSshPublicKey(text: string): SshKeyCheck {
  const trimmed = text.trim();
  if (/PRIVATE KEY/.test(trimmed)) {
    return {
      ok: false,
      message: "is a PRIVATE key; it must never leave your machine. Give the public key (the .pub file) instead",
    };
  }
  if (trimmed.includes("\n")) return { ok: false, message: "must be a single line (the contents of a .pub file)" };
  const [type, data, ...comment] = trimmed.split(/\s+/);
  if (!type || !data) return { ok: false, message: 'is not an OpenSSH public key (expected "ssh-ed25519 AAAA… comment")' };
  if (!(ACCEPTED as readonly string[]).includes(type)) {
    return { ok: false, message: `has type ${JSON.stringify(type)}; EC2 key pairs accept ${ACCEPTED.join(" and ")}` };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return { ok: false, message: "has a key blob that is not base64" };
  const fields = readFields(Buffer.from(data, "base64"));
  if (!fields || fields.length === 0 || fields[0]!.toString("latin1") !== type) {
    return { ok: false, message: `has a key blob that does not hold a ${type} key (was it cut short when pasted?)` };
  }
  if (type === "ssh-ed25519" && (fields.length !== 2 || fields[1]!.length !== 32)) {
    return { ok: false, message: "has an ssh-ed25519 blob of the wrong length (was it cut short when pasted?)" };
  }
  if (type === "ssh-rsa") {
    if (fields.length !== 3) return { ok: false, message: "has a malformed ssh-rsa blob (was it cut short when pasted?)" };
    const bits = rsaModulusBits(fields[2]!);
    if (bits < 2048) return { ok: false, message: `is a ${bits}-bit RSA key; use ssh-ed25519 or RSA of at least 2048 bits` };
  }
  return { ok: true, key: [type, data, ...comment].join(" "), type };
}

/** The host key types OpenSSH servers offer (`/etc/ssh/ssh_host_*_key.pub`). */
const HOST_KEY_TYPES = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"] as const;

/**
 * Checks a server's SSH host key as the operator pasted it (`ssh-ed25519 AAAA…`, the comment optional):
 * deliveries accept no other key (pulumi-command pins it with ssh.FixedHostKey), so a key that is cut
 * short or of another type would refuse every connection. Returns the key without its comment.
 */
export function checkHostKey(text: string): SshKeyCheck {
  const [type, data] = text.trim().split(/\s+/);
  if (!type || !data) return { ok: false, message: 'is not an SSH host key (expected "ssh-ed25519 AAAA…", a line of ssh-keyscan without the address)' };
  if (/PRIVATE KEY/.test(text)) return { ok: false, message: "is a PRIVATE key; give the server's public host key (/etc/ssh/ssh_host_ed25519_key.pub)" };
  if (!(HOST_KEY_TYPES as readonly string[]).includes(type)) return { ok: false, message: `has type ${JSON.stringify(type)}; OpenSSH host keys are ${HOST_KEY_TYPES.join(", ")}` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return { ok: false, message: "has a key blob that is not base64" };
  const fields = readFields(Buffer.from(data, "base64"));
  if (!fields || fields.length < 2 || fields[0]!.toString("latin1") !== type) {
    return { ok: false, message: `has a key blob that does not hold a ${type} key (was it cut short when pasted?)` };
  }
  if (type === "ssh-ed25519" && (fields.length !== 2 || fields[1]!.length !== 32)) {
    return { ok: false, message: "has an ssh-ed25519 blob of the wrong length (was it cut short when pasted?)" };
  }
  return { ok: true, key: `${type} ${data}`, type };
}

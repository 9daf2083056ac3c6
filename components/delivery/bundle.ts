/**
 * A delivery: files that change during a pool's life (topology, firewall rules, keys, the node's unit)
 * copied to a host over SSH and then applied, without touching the server's user data. This module
 * renders the remote script and its input; it is pure so that the script can be checked and run in tests.
 *
 * The files travel on the command's stdin, one base64 line per file (no temporary file on the
 * operator's machine, no key material in the command line). The script installs each file with its
 * owner and mode atomically (install to a temporary name, then rename), then runs the apply steps.
 */
import { createHash } from "node:crypto";

export interface DeliveredFile {
  /** Absolute path on the host. */
  readonly path: string;
  /** Octal mode, e.g. "0644" or "0400". */
  readonly mode: string;
  readonly owner: string;
  readonly group: string;
  readonly content: string;
}

export interface DeliveredDirectory {
  readonly path: string;
  readonly mode: string;
  readonly owner: string;
  readonly group: string;
}

export interface Delivery {
  readonly directories: readonly DeliveredDirectory[];
  readonly files: readonly DeliveredFile[];
  /** Shell commands run as root after every file is in place (e.g. reload the node). */
  readonly apply: readonly string[];
  /** Shell commands run as root when the delivery is removed from the stack (e.g. delete keys). */
  readonly remove?: readonly string[];
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_NAME = /^[a-z_][a-z0-9_-]*$/;
const SAFE_MODE = /^0[0-7]{3}$/;

function check(delivery: Delivery): void {
  for (const item of [...delivery.directories, ...delivery.files]) {
    if (!SAFE_PATH.test(item.path) || item.path.includes("..")) throw new Error(`unsafe delivery path ${JSON.stringify(item.path)}`);
    if (!SAFE_NAME.test(item.owner) || !SAFE_NAME.test(item.group)) throw new Error(`unsafe owner for ${item.path}`);
    if (!SAFE_MODE.test(item.mode)) throw new Error(`unsafe mode ${item.mode} for ${item.path}`);
  }
}

/** The command's stdin: each file's content as one base64 line, in the delivery's order. */
export function deliveryStdin(delivery: Delivery): string {
  return delivery.files.map((f) => `${Buffer.from(f.content, "utf8").toString("base64")}\n`).join("");
}

/** A digest of everything that reaches the host; the delivery re-runs exactly when it changes. */
export function deliveryHash(delivery: Delivery): string {
  const hash = createHash("sha256");
  const part = (s: string) => hash.update(`${Buffer.byteLength(s)}:${s};`);
  for (const d of delivery.directories) [d.path, d.mode, d.owner, d.group].forEach(part);
  for (const f of delivery.files) [f.path, f.mode, f.owner, f.group, f.content].forEach(part);
  for (const a of delivery.apply) part(a);
  return hash.digest("hex");
}

/**
 * The script run on the host as the admin user (passwordless sudo, never prompting). `STAKEPOOL_ROOT`
 * prefixes every path, for tests only; on a host it is unset (apply steps see it as `$R`). It waits for
 * cloud-init, so that a fresh server has its users and folders first.
 */
export function deliveryScript(delivery: Delivery): string {
  check(delivery);
  const lines = [
    // The digest makes the script change exactly when what it delivers changes. A changed input is an
    // in-place update that re-runs this script; it never replaces the command, so the removal steps of
    // an old version can never run after a new version has been delivered.
    `# stakepool delivery ${deliveryHash(delivery)}`,
    "set -eu",
    'R="${STAKEPOOL_ROOT:-}"',
    "command -v cloud-init >/dev/null 2>&1 && { sudo -n cloud-init status --wait >/dev/null 2>&1 || true; }",
    'tmp="$(mktemp -d)"',
    "trap 'rm -rf \"$tmp\"' EXIT",
    "i=0",
    'while IFS= read -r line; do printf \'%s\' "$line" | base64 -d > "$tmp/$i"; i=$((i + 1)); done',
    `[ "$i" -eq ${delivery.files.length} ] || { echo "expected ${delivery.files.length} files on stdin, got $i" >&2; exit 1; }`,
  ];
  for (const d of delivery.directories) {
    lines.push(`sudo -n install -d -m ${d.mode} -o ${d.owner} -g ${d.group} "$R${d.path}"`);
  }
  delivery.files.forEach((f, i) => {
    const dir = f.path.slice(0, f.path.lastIndexOf("/")) || "/";
    lines.push(`sudo -n mkdir -p "$R${dir}"`); // never alters an existing folder's mode
    lines.push(`sudo -n install -m ${f.mode} -o ${f.owner} -g ${f.group} "$tmp/${i}" "$R${f.path}.new"`);
    lines.push(`sudo -n mv -f "$R${f.path}.new" "$R${f.path}"`);
  });
  for (const a of delivery.apply) lines.push(asRoot(a));
  return `${lines.join("\n")}\n`;
}

/** Runs one apply or removal step as root, with `R` (the test root prefix) in its environment. */
function asRoot(step: string): string {
  return `sudo -n env R="$R" sh -c '${step.replace(/'/g, "'\\''")}'`;
}

/** The script run when the delivery is deleted from the stack, if it has removal steps. */
export function removalScript(delivery: Delivery): string | undefined {
  if (!delivery.remove || delivery.remove.length === 0) return undefined;
  check(delivery);
  const lines = ["set -eu", 'R="${STAKEPOOL_ROOT:-}"'];
  for (const r of delivery.remove) lines.push(asRoot(r));
  return `${lines.join("\n")}\n`;
}

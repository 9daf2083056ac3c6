/**
 * A delivery: files that change during a pool's life (topology, firewall rules, keys, the node's unit)
 * copied to a host over SSH and then applied, without touching the server's user data. This module
 * renders the remote script and its input; it is pure so that the script can be checked and run in tests.
 *
 * The files travel on the command's stdin, one base64 line per file (no temporary file on the
 * operator's machine, no key material in the command line). The script holds them in memory until
 * every line has arrived, then decodes each one straight into its final folder: a file is created
 * there read-only for root (umask 0377, so a key is mode 0400 from its first byte), given its owner
 * and mode, and renamed into place. Nothing is written to /tmp or any other folder.
 *
 * A folder can be declared a SET (`sets`): its delivered files are switched as one. They are staged in
 * a new folder `set.<random>` inside it, and one rename of the symbolic link `current` switches from
 * the old set to the new one; each file's own path is a fixed link into `current` (`kes.skey ->
 * current/kes.skey`). Whoever opens the paths finds the old set or the new one, whole, never part of
 * each; a failure at any step leaves the old set in place; old sets are removed after the apply steps.
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
  /**
   * Folders whose delivered files are one set, switched all at once (see above). Each must be one of
   * `directories` (the set's folders get its owner and group, without write permission).
   */
  readonly sets?: readonly string[];
  /** Shell commands run as root after every file is in place (e.g. reload the node). */
  readonly apply: readonly string[];
  /** Shell commands run as root when the delivery is removed from the stack (e.g. delete keys). */
  readonly remove?: readonly string[];
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_NAME = /^[a-z_][a-z0-9_-]*$/;
const SAFE_MODE = /^0[0-7]{3}$/;
/** A file name inside a set folder: none of the names the switch itself uses there. */
const SET_MEMBER = /^(?!current$|set\.)[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The link inside a set folder that names the current set. */
export const SET_CURRENT_LINK = "current";

function parentOf(file: string): string {
  return file.slice(0, file.lastIndexOf("/")) || "/";
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

function check(delivery: Delivery): void {
  for (const item of [...delivery.directories, ...delivery.files]) {
    if (!SAFE_PATH.test(item.path) || item.path.includes("..")) throw new Error(`unsafe delivery path ${JSON.stringify(item.path)}`);
    if (!SAFE_NAME.test(item.owner) || !SAFE_NAME.test(item.group)) throw new Error(`unsafe owner for ${item.path}`);
    if (!SAFE_MODE.test(item.mode)) throw new Error(`unsafe mode ${item.mode} for ${item.path}`);
  }
  for (const dir of delivery.sets ?? []) {
    if (!delivery.directories.some((d) => d.path === dir)) throw new Error(`the set folder ${dir} is not a delivered directory`);
    const members = delivery.files.filter((f) => parentOf(f.path) === dir);
    if (members.length === 0) throw new Error(`the set folder ${dir} holds no delivered file`);
    for (const f of members) if (!SET_MEMBER.test(baseName(f.path))) throw new Error(`unsafe set member name ${f.path}`);
  }
}

/** Where each file sits in the delivery's order: in a set (by folder), or alone. */
function setOf(delivery: Delivery, file: DeliveredFile): string | undefined {
  return (delivery.sets ?? []).find((dir) => parentOf(file.path) === dir);
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
  for (const dir of delivery.sets ?? []) part(`set ${dir}`);
  for (const a of delivery.apply) part(a);
  return hash.digest("hex");
}

/** Writes stdin's current line ($1) as a new file: read-only for root from its first byte, never over an old one. */
function decodeInto(target: string): string {
  return `printf '%s' "$1" | sudo -n sh -c 'umask 0377 && rm -f "$1" && set -C && base64 -d > "$1"' sh ${target}; shift`;
}

/** Every name the script writes before renaming it into place (as the script's quoted words). */
function temporaryNames(delivery: Delivery): string[] {
  const sets = delivery.sets ?? [];
  const names = delivery.files.filter((f) => setOf(delivery, f) === undefined).map((f) => `"$R${f.path}.new"`);
  for (const dir of sets) {
    names.push(`"$R${dir}/.${SET_CURRENT_LINK}.new"`);
    for (const f of delivery.files.filter((x) => parentOf(x.path) === dir)) names.push(`"$R${dir}/.${baseName(f.path)}.new"`);
  }
  return names;
}

/** Folder mode for a set: the delivered folder's, without write permission (a set never changes). */
function setMode(mode: string): string {
  return `0${(parseInt(mode, 8) & 0o555).toString(8).padStart(3, "0")}`;
}

/**
 * The script run on the host as the admin user (passwordless sudo, never prompting). `STAKEPOOL_ROOT`
 * prefixes every path, for tests only; on a host it is unset (apply steps see it as `$R`). It waits for
 * cloud-init, so that a fresh server has its users and folders first.
 */
export function deliveryScript(delivery: Delivery): string {
  check(delivery);
  const sets = delivery.sets ?? [];
  const lines = [
    // The digest makes the script change exactly when what it delivers changes. A changed input is an
    // in-place update that re-runs this script; it never replaces the command, so the removal steps of
    // an old version can never run after a new version has been delivered.
    `# stakepool delivery ${deliveryHash(delivery)}`,
    "set -eu",
    'R="${STAKEPOOL_ROOT:-}"',
    // A server still in its first boot finishes cloud-init (host keys, host name) first. Once it is done
    // (result.json), or on a server that never ran it (no /run/cloud-init), nothing is waited for: asking
    // `cloud-init status` costs a Python start-up per step (11 s under the box's TCG).
    "if [ -d /run/cloud-init ] && [ ! -e /run/cloud-init/result.json ] && command -v cloud-init >/dev/null 2>&1; then sudo -n timeout 1800 cloud-init status --wait >/dev/null 2>&1 || true; fi",
    // Every line first, in memory (the positional parameters): nothing is touched unless all arrived.
    "set --",
    'while IFS= read -r line; do set -- "$@" "$line"; done',
    `[ "$#" -eq ${delivery.files.length} ] || { echo "expected ${delivery.files.length} files on stdin, got $#" >&2; exit 1; }`,
    // A set staged but not switched to, and any temporary name, is removed however the script ends.
    'staged=""',
    `unstage() { for dir in $staged; do sudo -n rm -rf "$dir"; done; sudo -n rm -f ${temporaryNames(delivery).join(" ")}; }`,
    "trap unstage EXIT",
  ];
  for (const d of delivery.directories) {
    lines.push(`sudo -n install -d -m ${d.mode} -o ${d.owner} -g ${d.group} "$R${d.path}"`);
  }
  sets.forEach((dir, k) => {
    lines.push(`set${k}="$(sudo -n mktemp -d "$R${dir}/set.XXXXXXXXXX")"`, `staged="$staged $set${k}"`);
  });
  for (const f of delivery.files) {
    const k = setOf(delivery, f);
    if (k !== undefined) {
      const target = `"$set${sets.indexOf(k)}/${baseName(f.path)}"`;
      lines.push(decodeInto(target), `sudo -n chown ${f.owner}:${f.group} ${target}`, `sudo -n chmod ${f.mode} ${target}`);
      continue;
    }
    const staging = `"$R${f.path}.new"`;
    lines.push(`sudo -n mkdir -p "$R${parentOf(f.path)}"`); // never alters an existing folder's mode
    lines.push(decodeInto(staging), `sudo -n chown ${f.owner}:${f.group} ${staging}`, `sudo -n chmod ${f.mode} ${staging}`);
    lines.push(`sudo -n mv -f ${staging} "$R${f.path}"`);
  }
  sets.forEach((dir, k) => {
    const folder = delivery.directories.find((d) => d.path === dir)!;
    const members = delivery.files.filter((f) => parentOf(f.path) === dir).map((f) => baseName(f.path));
    lines.push(
      `sudo -n chown ${folder.owner}:${folder.group} "$set${k}"`,
      `sudo -n chmod ${setMode(folder.mode)} "$set${k}"`,
      // On the disk before the switch: a power cut never leaves `current` naming empty files.
      `sudo -n sync ${members.map((m) => `"$set${k}/${m}"`).join(" ")} "$set${k}"`,
      // The switch: one rename of the link (rename(2) replaces it atomically).
      `sudo -n ln -sfn "\${set${k}##*/}" "$R${dir}/.${SET_CURRENT_LINK}.new"`,
      `sudo -n mv -T "$R${dir}/.${SET_CURRENT_LINK}.new" "$R${dir}/${SET_CURRENT_LINK}"`,
      `staged="\${staged# "$set${k}"}"`,
    );
    // Each file's path is a fixed link into the current set (made once; it replaces a plain file of old).
    for (const m of members) {
      lines.push(
        `[ "$(sudo -n readlink "$R${dir}/${m}" || true)" = "${SET_CURRENT_LINK}/${m}" ] || ` +
          `{ sudo -n ln -sfn "${SET_CURRENT_LINK}/${m}" "$R${dir}/.${m}.new" && sudo -n mv -T "$R${dir}/.${m}.new" "$R${dir}/${m}"; }`,
      );
    }
    lines.push(`sudo -n sync "$R${dir}"`);
  });
  for (const a of delivery.apply) lines.push(asRoot(a));
  // Old sets go once the apply steps (the node's reload) have run on the new one.
  sets.forEach((dir, k) => {
    lines.push(
      `current${k}="$(sudo -n readlink "$R${dir}/${SET_CURRENT_LINK}")"`,
      `sudo -n find "$R${dir}" -mindepth 1 -maxdepth 1 -name 'set.*' ! -name "$current${k}" -exec rm -rf {} +`,
    );
  });
  return `${lines.join("\n")}\n`;
}

/**
 * The root command that removes a set folder's files: first the `current` link (every path of the set
 * stops resolving at once), then every set and the fixed links.
 */
export function setRemovalCommand(dir: string, names: readonly string[]): string {
  const links = names.map((n) => ` "$R${dir}/${n}"`).join("");
  return `rm -f "$R${dir}/${SET_CURRENT_LINK}" && rm -rf "$R${dir}"/set.*${links}`;
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

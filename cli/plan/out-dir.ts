/**
 * Where `npm run plan` may write, and what it may delete there: never anything it did not write.
 *
 * The plan writes `.stakepool-plan.json` beside its files: the list of every file it wrote with its
 * SHA-256. A later plan replaces a folder only when that list accounts for everything in it, byte for
 * byte: a file the plan did not write, a file changed since, a symbolic link or a device is a reason to
 * stop, and the plan then deletes nothing. Otherwise `--out` must name a folder that does not exist yet
 * or is empty. Whatever the spelling (`.`, `..`, a symbolic link), the real folder is judged:
 * - the filesystem root, the repository and every folder that contains it are refused outright;
 * - so is the repository's `.git`;
 * - inside the repository, an output written before the marker existed (only the plan's own file names,
 *   plan.md starting with the plan's title) is recognised and replaced;
 * - outside it, only a new or empty folder, or an earlier output the marker accounts for.
 * The walk is bounded (entries and depth), so a huge folder is refused quickly instead of listed.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigurationError } from "../../components/config/problems";
import { printable } from "../../components/config/text";

export const MARKER = ".stakepool-plan.json";
/** More entries than any plan writes (about 10 per host, 21 hosts at most): a bigger folder is not a plan. */
const MAX_ENTRIES = 2000;
const MAX_DEPTH = 3;
/** Files the plan wrote at the top of its folder, and under hosts/<host>/, before the marker existed. */
const LEGACY_TOP_FILES = new Set(["hosts.json", "plan.md", "resources.json", "pool-metadata.json", "changes.md", "deployment.json"]);
const HOST_DIR = /^(core|relay-\d{1,2})$/;
/** One path segment of a plan file: no dot files, no `..`, nothing a shell or a terminal would read twice. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const PLAN_TITLE = "# Plan of stack `";

interface Manifest {
  readonly writtenBy: string;
  /** Relative path (with /) to SHA-256 of the bytes written. */
  readonly files: Readonly<Record<string, string>>;
}

/** The folder the plan will write, and the files of an earlier output it replaces there. */
export interface OutDir {
  /** The real folder (symbolic links resolved). */
  readonly dir: string;
  /** Relative paths of the earlier output's files: only these are deleted. */
  readonly replaces: readonly string[];
}

class Refusal extends Error {}

const sha256 = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");

function refuse(out: string, message: string, fix: string): never {
  throw new ConfigurationError([{ setting: `--out ${printable(JSON.stringify(out))}`, message, fix }]);
}

/** The real path of `target`, resolving the part that exists; a dangling link is refused. */
function realPathOf(target: string): string {
  const missing: string[] = [];
  let at = target;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      let isLink = false;
      try {
        isLink = fs.lstatSync(at).isSymbolicLink();
      } catch {
        // does not exist at all: go up
      }
      if (isLink) throw new Refusal(`${at} is a symbolic link to something that does not exist`);
      const parent = path.dirname(at);
      if (parent === at) return target;
      missing.push(path.basename(at));
      at = parent;
    }
  }
}

const within = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** Every entry under `dir` as relative paths (with /), each with its kind; refused past the bounds. */
function walk(dir: string): Array<{ rel: string; kind: "file" | "dir" | "other" }> {
  const entries: Array<{ rel: string; kind: "file" | "dir" | "other" }> = [];
  const visit = (rel: string, depth: number) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const stat = fs.lstatSync(path.join(dir, child));
      const kind = stat.isDirectory() ? "dir" : stat.isFile() ? "file" : "other";
      entries.push({ rel: child, kind });
      if (entries.length > MAX_ENTRIES) throw new Refusal(`holds more than ${MAX_ENTRIES} entries: no plan writes that many`);
      if (kind === "dir") {
        if (depth >= MAX_DEPTH) throw new Refusal(`holds folders nested deeper than any plan writes (${child})`);
        visit(child, depth + 1);
      }
    }
  };
  visit("", 1);
  return entries;
}

/** Whether the plan may write (and list in its marker) the relative path `rel`: plain names, at most 3 deep. */
export function isPlanFile(rel: string): boolean {
  const parts = rel.split("/");
  return parts.length <= MAX_DEPTH && parts.every((p) => SEGMENT.test(p) && p !== MARKER);
}

/** A file an output written before the marker existed holds: hosts.json, hosts/relay-2/topology.json, … */
function isLegacyPlanFile(rel: string): boolean {
  const parts = rel.split("/");
  if (parts.length === 1) return LEGACY_TOP_FILES.has(parts[0]!);
  return parts.length === 3 && parts[0] === "hosts" && HOST_DIR.test(parts[1]!) && SEGMENT.test(parts[2]!);
}

function isLegacyPlanDir(rel: string): boolean {
  const parts = rel.split("/");
  return rel === "hosts" || (parts.length === 2 && parts[0] === "hosts" && HOST_DIR.test(parts[1]!));
}

/** Folders the manifest's files imply (hosts, hosts/core, …). */
function foldersOf(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const rel of files) for (let d = path.posix.dirname(rel); d !== "."; d = path.posix.dirname(d)) folders.add(d);
  return folders;
}

function readManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, MARKER);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || stat.size > 1 << 20) throw new Refusal(`has a ${MARKER} that is not the plan's (not a small regular file)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new Refusal(`has a ${MARKER} that is not the plan's (not JSON)`);
  }
  const files = (parsed as { files?: unknown }).files;
  if (typeof files !== "object" || files === null || Array.isArray(files)) throw new Refusal(`has a ${MARKER} without the list of files the plan wrote`);
  for (const [rel, digest] of Object.entries(files)) {
    if (!isPlanFile(rel) || typeof digest !== "string" || !/^[0-9a-f]{64}$/.test(digest)) {
      throw new Refusal(`has a ${MARKER} that lists ${JSON.stringify(rel)}, which the plan never writes`);
    }
  }
  return parsed as Manifest;
}

/** The files of an earlier output in `dir` that the plan may replace; a Refusal says why not. */
function earlierOutput(dir: string, insideRepository: boolean): string[] {
  const entries = walk(dir);
  const manifest = readManifest(dir);
  const foreign = (list: string[]) => {
    const shown = list.slice(0, 3).map((f) => JSON.stringify(f)).join(", ");
    return new Refusal(`holds what the plan did not write: ${printable(shown)}${list.length > 3 ? ` and ${list.length - 3} more` : ""}`);
  };
  if (manifest) {
    const folders = foldersOf(Object.keys(manifest.files));
    const unknown = entries.filter((e) => e.rel !== MARKER && !(e.kind === "dir" && folders.has(e.rel)) && !(e.kind === "file" && manifest.files[e.rel] !== undefined));
    if (unknown.length > 0) throw foreign(unknown.map((e) => e.rel));
    const files = entries.filter((e) => e.kind === "file" && e.rel !== MARKER).map((e) => e.rel);
    const changed = files.filter((rel) => sha256(fs.readFileSync(path.join(dir, rel))) !== manifest.files[rel]);
    if (changed.length > 0) throw new Refusal(`holds ${printable(changed.slice(0, 3).join(", "))}, changed since the plan wrote ${changed.length === 1 ? "it" : "them"}`);
    return [...files, MARKER];
  }
  if (!insideRepository) throw new Refusal("is outside the repository and not empty");
  const unknown = entries.filter((e) => !(e.kind === "dir" && isLegacyPlanDir(e.rel)) && !(e.kind === "file" && isLegacyPlanFile(e.rel)));
  if (unknown.length > 0) throw foreign(unknown.map((e) => e.rel));
  const plan = path.join(dir, "plan.md");
  const head = fs.existsSync(plan) ? fs.readFileSync(plan, "utf8").slice(0, PLAN_TITLE.length) : "";
  if (head !== PLAN_TITLE) throw new Refusal("is not empty and is not an earlier plan (no plan.md of the plan's)");
  return entries.filter((e) => e.kind === "file").map((e) => e.rel);
}

/**
 * Decides where `out` (as typed, relative to `cwd`) lets the plan write, for the repository at `root`;
 * throws a ConfigurationError naming `--out` otherwise. Deletes nothing.
 */
export function checkOutDir(out: string, cwd: string, root: string): OutDir {
  const fix = "name a new or empty folder (for example out/<stack>, the default), or move the folder away first";
  let dir: string;
  try {
    dir = realPathOf(path.resolve(cwd, out));
  } catch (error) {
    if (error instanceof Refusal) refuse(out, printable(error.message), fix);
    throw error;
  }
  const repository = realPathOf(root);
  if (within(repository, dir)) {
    const what = dir === repository ? "the repository itself" : dir === path.parse(dir).root ? "the filesystem root" : `${printable(dir)}, which contains the repository`;
    refuse(out, `is ${what}: the plan replaces its output folder, and would delete what it did not write`, fix);
  }
  if (within(dir, path.join(repository, ".git"))) refuse(out, "is inside the repository's .git folder", fix);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    return { dir, replaces: [] };
  }
  if (!stat.isDirectory()) refuse(out, "is a file, not a folder", fix);
  if (fs.readdirSync(dir).length === 0) return { dir, replaces: [] };
  try {
    return { dir, replaces: earlierOutput(dir, within(dir, repository)) };
  } catch (error) {
    if (error instanceof Refusal) refuse(out, `${error.message}; the plan replaces only an earlier plan's output, and deletes nothing else`, fix);
    throw error;
  }
}

/** The marker's text for `files`: deterministic (sorted), like every file of the plan. */
export function manifestText(files: ReadonlyMap<string, string>): string {
  const listed = Object.fromEntries([...files.keys()].sort().map((rel) => [rel, sha256(files.get(rel)!)]));
  const manifest: Manifest = { writtenBy: "npm run plan: a later plan replaces these files, and only while they are unchanged", files: listed };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Writes the plan's `files` into `out` (checked again here): the earlier output's files are deleted,
 * folders the plan made and left empty are removed, then the marker and the files are written.
 */
export function writePlanOutput(out: string, cwd: string, root: string, files: ReadonlyMap<string, string>): string {
  for (const rel of files.keys()) if (!isPlanFile(rel)) throw new Error(`the plan produced ${rel}, which out-dir.ts does not know as a plan file (a bug in the kit)`);
  const { dir, replaces } = checkOutDir(out, cwd, root);
  for (const rel of replaces) fs.rmSync(path.join(dir, rel), { force: true });
  // Deepest first, so that hosts/ goes once hosts/relay-3/ has.
  for (const folder of [...foldersOf(replaces)].sort((a, b) => b.split("/").length - a.split("/").length)) {
    const full = path.join(dir, folder);
    if (fs.existsSync(full) && fs.readdirSync(full).length === 0) fs.rmdirSync(full);
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MARKER), manifestText(files));
  for (const [rel, content] of files) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dir;
}

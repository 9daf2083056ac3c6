/**
 * Where a snapshot comes from: the operator's file (`stakepool:peerSnapshotFile`), or the official one
 * the kit bundles for each network. The only module of the topology concern that touches the disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Findings } from "../config/problems";
import type { NetworkProfile } from "../networks/networks";
import { parseSnapshot, SNAPSHOT_SETTING, snapshotFix, type SnapshotParse } from "./snapshot";

/** The official snapshot bundled with the kit (see snapshots/README.md for where each came from). */
export function bundledSnapshotPath(network: NetworkProfile["name"]): string {
  return path.join(__dirname, "snapshots", `${network}.json`);
}

/**
 * Reads and parses the operator's snapshot, or the bundled one when `file` is empty. A relative path
 * is taken from `baseDir` (the Pulumi project folder). A missing or unreadable file is a problem on
 * `stakepool:peerSnapshotFile`, like a malformed one.
 */
export function readSnapshotFile(file: string, network: NetworkProfile, baseDir: string = process.cwd()): SnapshotParse & { readonly path: string } {
  const chosen = file.trim() === "" ? bundledSnapshotPath(network.name) : path.resolve(baseDir, file);
  let text: string;
  try {
    text = fs.readFileSync(chosen, "utf8");
  } catch (error) {
    const findings = new Findings();
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder" : `cannot be read (${code ?? String(error)})`;
    findings.problem(SNAPSHOT_SETTING, `${file} (${chosen}) ${reason}`, snapshotFix(network.name));
    return { snapshot: undefined, findings, path: chosen };
  }
  return { ...parseSnapshot({ text, source: file.trim() === "" ? chosen : file, expectedMagic: network.magic, network: network.name }), path: chosen };
}

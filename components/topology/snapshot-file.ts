/**
 * Where a snapshot comes from: the operator's file (`stakepool:peerSnapshotFile`), or the official one
 * the kit bundles for each network. The only module of the topology concern that touches the disk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Findings } from "../config/problems";
import type { NetworkProfile } from "../networks/networks";
import { parseSnapshot, SNAPSHOT_SETTING, snapshotFix, type SnapshotParse } from "./snapshot";

/**
 * The largest snapshot file the kit reads. The official mainnet snapshot is 150 KB; a big-ledger snapshot
 * lists at most a few hundred pools. The bound keeps a wrong path (a disk image, /dev/zero) from eating
 * the machine's memory.
 */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/** The official snapshot bundled with the kit (see snapshots/README.md for where each came from). */
export function bundledSnapshotPath(network: NetworkProfile["name"]): string {
  return path.join(__dirname, "snapshots", `${network}.json`);
}

export type BoundedRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/**
 * Reads a regular file of at most `maxBytes` as UTF-8 text, never blocking: a FIFO, a device or a folder
 * is refused before it is opened for reading, a file that grows past the bound while being read is
 * refused, and so is one that is not valid UTF-8. A byte-order mark is kept (and JSON.parse refuses it).
 */
export function readBoundedFile(file: string, maxBytes: number): BoundedRead {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})` };
  }
  if (stat.isDirectory()) return { ok: false, reason: "is a folder" };
  if (!stat.isFile()) return { ok: false, reason: "is not a regular file (a pipe, socket or device is never read)" };
  if (stat.size > maxBytes) return { ok: false, reason: `is ${stat.size} bytes; a peer snapshot is at most ${maxBytes}` };
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= maxBytes; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) return { ok: false, reason: `grew past ${maxBytes} bytes while being read` };
    // Fatal: a lossy decode would turn bytes the node refuses into U+FFFD and read on.
    try {
      return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buffer.subarray(0, length)) };
    } catch {
      return { ok: false, reason: "is not UTF-8 text (the node's JSON reader, aeson, refuses invalid UTF-8)" };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads and parses the operator's snapshot, or the bundled one when `file` is empty. A relative path
 * is taken from `baseDir` (the Pulumi project folder). A missing or unreadable file is a problem on
 * `stakepool:peerSnapshotFile`, like a malformed one.
 */
export function readSnapshotFile(file: string, network: NetworkProfile, baseDir: string = process.cwd()): SnapshotParse & { readonly path: string; readonly text: string | undefined } {
  const chosen = file.trim() === "" ? bundledSnapshotPath(network.name) : path.resolve(baseDir, file);
  const read = readBoundedFile(chosen, MAX_SNAPSHOT_BYTES);
  if (!read.ok) {
    const findings = new Findings();
    findings.problem(SNAPSHOT_SETTING, `${file} (${chosen}) ${read.reason}`, snapshotFix(network.name));
    return { snapshot: undefined, findings, path: chosen, text: undefined };
  }
  const source = file.trim() === "" ? chosen : file;
  return { ...parseSnapshot({ text: read.text, source, network }), path: chosen, text: read.text };
}

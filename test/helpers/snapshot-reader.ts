/**
 * Reads peer snapshot files in a child process of its own, so that a test can bound the memory
 * (`--max-old-space-size`) and time of the kit's reader on hostile files and measure both. Run as
 * `node --max-old-space-size=<MB> --import tsx snapshot-reader.ts <network> <file>...`; prints one JSON
 * line per file: how long it took, the process's peak memory so far, and what the kit decided.
 */
import { NETWORKS, type NetworkName } from "../../components/networks/networks";
import { readSnapshotFile } from "../../components/topology/snapshot-file";

export interface ReaderLine {
  readonly file: string;
  readonly ms: number;
  /** Peak resident memory of the process so far, in MB. */
  readonly maxRssMB: number;
  readonly problems: readonly { readonly setting: string; readonly message: string; readonly fix: string }[];
  /** Usable pools and skipped relays, when the file was read. */
  readonly pools?: number;
  readonly skipped?: number;
}

const [network, ...files] = process.argv.slice(2);
for (const file of files) {
  const started = performance.now();
  const read = readSnapshotFile(file, NETWORKS[network as NetworkName]);
  const line: ReaderLine = {
    file,
    ms: Math.round(performance.now() - started),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    problems: read.findings.problems.map(({ setting, message, fix }) => ({ setting, message, fix })),
    ...(read.snapshot ? { pools: read.snapshot.pools.length, skipped: read.snapshot.skipped.length } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * `npm run --silent metadata-hash -- <file>`: prints the blake2b-256 of the file's exact bytes (64 hex
 * digits and a newline), the value `--metadata-hash` of the registration certificate needs, as
 * `cardano-cli stake-pool metadata-hash` computes it. Hash the file you host, byte for byte.
 * Exit status: 0 printed, 1 the file cannot be read, 2 usage.
 */
import fs from "node:fs";
import { printable } from "../components/config/text";
import { LIMITS } from "../components/metadata/fields";
import { metadataHash } from "../components/metadata/hash";

const USAGE = "usage: npm run --silent metadata-hash -- <metadata file>\n";
/** Far above the 512 bytes pool metadata may have; a FIFO or /dev/zero must not hang the tool or fill memory. */
const MAX_BYTES = 1 << 20;

function fail(code: number, message: string): never {
  process.stderr.write(`metadata-hash: ${message}\n`);
  process.exit(code);
}

function main(args: readonly string[]): void {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.length !== 1 || args[0] === "") fail(2, `expected exactly one file\n${USAGE.trimEnd()}`);
  const file = args[0]!;
  const shown = printable(file);
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) fail(1, `${shown}: is a directory`);
    if (!stat.isFile()) fail(1, `${shown}: is not a regular file (a device, FIFO or socket)`);
    if (stat.size > MAX_BYTES) fail(1, `${shown}: is ${stat.size} bytes; pool metadata is at most ${LIMITS.fileMaxBytes}`);
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot be read (${code ?? "unknown error"})`;
    fail(1, `${shown}: ${why}`);
  }
  if (bytes.length > LIMITS.fileMaxBytes) {
    process.stderr.write(`metadata-hash: note: ${shown} is ${bytes.length} bytes; pool metadata may be at most ${LIMITS.fileMaxBytes}\n`);
  }
  process.stdout.write(`${metadataHash(new Uint8Array(bytes))}\n`);
}

main(process.argv.slice(2));

/**
 * `npm run --silent kes -- --network <mainnet|preprod|preview> [--at <ISO-8601 time>] [--opcert <file>]
 *  [--on-chain-counter <n>]`: the slot and KES period at a time (default: now), from the network's
 * genesis values; with node.cert, its counter, start period, expiry and pool id; with the last
 * counter the chain saw, the counters it will accept. Prints JSON (see KesReport).
 * Exit status: 0 printed, 1 bad input (time, file), 2 usage, 3 a bug in the kit.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { Findings } from "../components/config/problems";
import { printable } from "../components/config/text";
import { BeforeShelleyError } from "../components/keys/kes";
import { kesReport } from "../components/keys/kes-report";
import { readOperationalCertificate, type OperationalCertificate } from "../components/keys/opcert";
import { isNetworkName, NETWORK_NAMES, NETWORKS } from "../components/networks/networks";

const USAGE =
  "usage: npm run --silent kes -- --network <mainnet|preprod|preview> [--at <ISO-8601 time, e.g. 2026-01-01T00:00:00Z>] " +
  "[--opcert <node.cert>] [--on-chain-counter <n>]\n";

/** An input mistake: printed without a stack trace. */
class InputError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Parses `--at`: an ISO-8601 date (midnight UTC) or date-time with Z or an offset; "now" for the clock. */
function parseTime(text: string, clock: () => Date): Date {
  if (text === "now") return clock();
  if (!ISO_TIME.test(text)) {
    throw new InputError(
      `--at ${printable(JSON.stringify(text))} is not an ISO-8601 time with a time zone (e.g. 2026-01-01T00:00:00Z or 2026-01-01T01:00:00+01:00)`,
      2,
    );
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new InputError(`--at ${printable(JSON.stringify(text))} is not a valid date`, 2);
  return date;
}

/** Far above an opcert's few hundred bytes: a FIFO or /dev/zero must not hang the tool or fill memory. */
const MAX_OPCERT_BYTES = 64 * 1024;

function readOpcertFile(file: string): OperationalCertificate {
  const shown = printable(file);
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new InputError(`${shown}: is not a regular file`, 1);
    if (stat.size > MAX_OPCERT_BYTES) throw new InputError(`${shown}: is ${stat.size} bytes, not an operational certificate (a few hundred)`, 1);
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${shown}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "unknown error"})`}`, 1);
  }
  const findings = new Findings();
  const opcert = readOperationalCertificate(text, findings, file);
  if (!opcert) {
    const lines = findings.problems.map((p) => `${printable(p.setting)}: ${printable(p.message)}\n  Fix: ${printable(p.fix)}`);
    throw new InputError(lines.join("\n"), 1);
  }
  return opcert;
}

function main(argv: readonly string[]): void {
  let values: { network?: string; at?: string; opcert?: string; "on-chain-counter"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        network: { type: "string" },
        at: { type: "string" },
        opcert: { type: "string" },
        "on-chain-counter": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error), 2);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.network) throw new InputError("--network is required", 2);
  if (!isNetworkName(values.network)) {
    throw new InputError(`--network ${printable(JSON.stringify(values.network))} is not one of ${NETWORK_NAMES.join(", ")}`, 2);
  }
  const network = NETWORKS[values.network];
  const at = parseTime(values.at ?? "now", () => new Date());
  let lastOnChain: number | undefined;
  if (values["on-chain-counter"] !== undefined) {
    if (!/^\d+$/.test(values["on-chain-counter"])) throw new InputError("--on-chain-counter must be a whole number ≥ 0", 2);
    lastOnChain = Number(values["on-chain-counter"]);
  }
  const opcert = values.opcert === undefined ? undefined : readOpcertFile(values.opcert);
  let report;
  try {
    report = kesReport(network, at, opcert, lastOnChain);
  } catch (error) {
    if (error instanceof BeforeShelleyError) throw new InputError(`--at: ${error.message} on ${network.name}`, 1);
    throw error;
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`kes: ${error.message}\n${error.exitCode === 2 ? USAGE : ""}`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`kes failed unexpectedly (a bug in the kit, not in your input):\n${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(3);
}

/**
 * The registration command is pasted into a shell on the offline machine that holds the cold key. Run
 * in bash with a stub cardano-cli, it passes every value (and every placeholder) as one argument, and
 * runs nothing else, whatever the values: the kit's checks refuse hostile ones earlier, and this holds
 * even without them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NETWORKS } from "../../components/networks/networks";
import { registrationCommand, type RegistrationInputs } from "../../components/pool/registration";
import { runInBash } from "../hostile/shell-run";

const HOSTILE = [
  "$(touch${IFS}pwned)",
  "`touch pwned`",
  "1;touch pwned",
  "1&touch pwned",
  "1|touch pwned",
  "1>pwned",
  "<pwned",
  "it's",
  '"',
  "*",
  "~",
  "$HOME",
  "\n touch pwned",
];

function pairs(argv: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  argv.forEach((a, i) => {
    if (a.startsWith("--") && i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) map.set(a, [...(map.get(a) ?? []), argv[i + 1]!]);
  });
  return map;
}

function pasted(inputs: RegistrationInputs) {
  const run = runInBash(registrationCommand(inputs), "cardano-cli");
  expect(run.strayFiles, run.stderr).toEqual([]);
  expect(run.argv, run.stderr).toBeDefined();
  return run.argv!;
}

describe("the registration command, pasted into bash", () => {
  it("passes hostile pledge, cost, margin, URL, hash and relay names intact, and runs nothing else", () => {
    for (const value of HOSTILE) {
      const argv = pasted({
        network: NETWORKS.preview,
        relays: [{ dns: value }, { ipv4: value }],
        metadata: { url: `https://e.io/${value}`, hash: value },
        pledge: value,
        cost: value,
        margin: value,
      });
      const got = pairs(argv);
      expect(argv.slice(0, 3)).toEqual(["latest", "stake-pool", "registration-certificate"]);
      for (const flag of ["--pool-pledge", "--pool-cost", "--pool-margin", "--metadata-hash", "--single-host-pool-relay", "--pool-relay-ipv4"]) {
        expect(got.get(flag), `${flag} for ${JSON.stringify(value)}`).toEqual([value]);
      }
      expect(got.get("--metadata-url")).toEqual([`https://e.io/${value}`]);
      expect(argv.slice(-4)).toEqual(["--testnet-magic", "2", "--out-file", "pool-registration.cert"]);
    }
  });

  it("passes placeholders as arguments, never as redirections", () => {
    const argv = pasted({ network: NETWORKS.mainnet, relays: [{ ipv4: "<publicIp of pool-relay-1>" }], metadata: undefined, pledge: undefined, cost: undefined, margin: undefined });
    const got = pairs(argv);
    expect(got.get("--pool-pledge")).toEqual(["<pledge in lovelace>"]);
    expect(got.get("--pool-margin")).toEqual(["<margin, e.g. 0.01>"]);
    expect(got.get("--pool-relay-ipv4")).toEqual(["<publicIp of pool-relay-1>"]);
    expect(argv).toContain("--mainnet");
  });

  it("holds for any printable text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii", minLength: 1 }), fc.string({ unit: "grapheme-ascii", minLength: 1 }), (pledge, dns) => {
        const argv = pasted({ network: NETWORKS.preprod, relays: [{ dns }], metadata: undefined, pledge, cost: "340000000", margin: "0.01" });
        expect(argv[argv.indexOf("--pool-pledge") + 1]).toBe(pledge);
        expect(argv[argv.indexOf("--single-host-pool-relay") + 1]).toBe(dns);
      }),
      { numRuns: 40 },
    );
  });
});

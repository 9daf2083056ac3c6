/**
 * The fixture of the signer's settings is what the signer's code says: when the IntersectMBO/mithril
 * mirror is on this machine (the kit's research machines), every field of `Configuration` and every clap
 * `env` of `Args` at the fixture's commit is in the fixture and nothing else is. Elsewhere (CI) the
 * fixture stands as recorded, with its source path and commit.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signerConfiguration } from "./input";

const MIRROR = "/work/.mirror/IntersectMBO+mithril/repo";
const fixture = signerConfiguration();

function show(file: string): string {
  return execFileSync("git", ["-C", MIRROR, "show", `${fixture.source.commit}:${file}`], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
}

describe("the signer settings fixture", () => {
  it("names its source: the 2630.0 tag's commit", () => {
    expect(fixture.source).toMatchObject({ repository: "IntersectMBO/mithril", tag: "2630.0", commit: "23e124d99320adea6eb3eca361132c6c43d59cfa" });
  });

  it.skipIf(!existsSync(MIRROR))("lists exactly the settings of mithril-signer's configuration code at that commit", () => {
    const configuration = show("mithril-signer/src/configuration.rs");
    const struct = /pub struct Configuration \{([\s\S]*?)\n\}/.exec(configuration)![1]!;
    const fields = [...struct.matchAll(/^\s+pub (\w+):/gm)].map((m) => m[1]!).filter((f) => f !== "signature_publisher_config");
    const publisher = /pub struct SignaturePublisherConfig \{([\s\S]*?)\n\}/.exec(configuration)![1]!;
    const nested = [...publisher.matchAll(/^\s+pub (\w+):/gm)].map((m) => `signature_publisher_config.${m[1]!}`);
    const main = show("mithril-signer/src/main.rs");
    const clapEnv = [...main.matchAll(/env(?: = |\()"([A-Z_]+)"/g)].map((m) => m[1]!);

    const fromFixture = fixture.settings.filter((s) => s.field !== null).map((s) => s.field!).sort();
    expect(fromFixture).toEqual([...fields, ...nested].sort());
    for (const s of fixture.settings) if (s.field !== null && !s.field.includes(".")) expect(s.env).toBe(s.field.toUpperCase());
    // The nested publisher settings and the run mode are read through clap's env only.
    for (const env of clapEnv) expect(fixture.settings.map((s) => s.env)).toContain(env);
    expect(clapEnv).toEqual(expect.arrayContaining(["RUN_MODE", "SIGNATURE_PUBLISHER_RETRY_ATTEMPTS", "SIGNATURE_PUBLISHER_SKIP_DELAYER"]));
  });
});

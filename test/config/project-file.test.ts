/**
 * Pulumi.yaml and the committed stacks, read and validated the way the Pulumi CLI does before it runs the
 * program (cli/plan/cli-config.ts models pulumi pkg/workspace/config.go mergeConfig): a stack that
 * `pulumi preview` would refuse fails here, whatever the program would have made of it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyProjectConfig, programString, projectDefaultValue, readProjectConfig, readStackValues, type Declaration, type ProjectConfig } from "../../cli/plan/cli-config";
import { listStacks, readProject, readStackConfig, stackFilePath } from "../../cli/plan/stack-file";
import { declaredInProject, SETTINGS } from "../../components/config/settings";
import { WITHHELD_SECRET } from "../../components/config/withheld";
import { loadPool } from "../../components/program/load";
import { ROOT } from "../helpers/plan";

const PROJECT_TEXT = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
const projectFile = readProjectConfig(PROJECT_TEXT);
const declared = new Map(projectFile.declarations.map((d) => [d.key, d]));
const STACKS = listStacks(readProject(ROOT));

/** The CLI's refusals for a stack file under a project file (empty: `pulumi preview` runs the program). */
function cliRefusals(project: ProjectConfig, stack: string, stackText: string): string[] {
  const { values } = readStackValues(stackText, project.name);
  return applyProjectConfig(stack, project, values, WITHHELD_SECRET).refusals.map((r) => r.message);
}

const stackText = (stack: string) => fs.readFileSync(stackFilePath(readProject(ROOT), stack), "utf8");

/** A setting's default as the raw config string the program would have used. */
function asConfigString(value: string | number | boolean | object): string {
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

describe("Pulumi.yaml", () => {
  it("is the stakepool project with its stacks in stacks/", () => {
    expect(projectFile.name).toBe("stakepool");
    expect(projectFile.stackConfigDir).toBe("stacks");
  });

  it("declares exactly the settings the program reads, with the same type, default and description", () => {
    // Mappings (stakepool:metadata) and optional secrets (the hot keys) are not declared; the file says so.
    const declarable = Object.entries(SETTINGS).filter(([, spec]) => declaredInProject(spec));
    expect([...declared.keys()].sort()).toEqual(declarable.map(([key]) => key).sort());
    for (const [key, spec] of declarable) {
      const d: Declaration = declared.get(key)!;
      expect(d.type, key).toBe(spec.type);
      expect(d.description, key).toBe(spec.description);
      expect(d.secret, key).toBe(Boolean("secret" in spec && spec.secret));
      if (spec.type === "array") expect(d.items, key).toEqual({ type: "string" });
      // The default the CLI passes is, string for string, the one the program falls back on.
      if (spec.default === undefined) expect(d.default, key).toBeUndefined();
      else expect(programString(projectDefaultValue(d.default!), WITHHELD_SECRET), key).toBe(asConfigString(spec.default));
    }
    for (const [key, spec] of Object.entries(SETTINGS)) if (!declaredInProject(spec)) expect(PROJECT_TEXT, key).toContain(`stakepool:${key}`);
  });

  it("gives no secret key a default, which the CLI would merge as plain text and refuse (pulumi/pulumi#21865)", () => {
    for (const d of projectFile.declarations) expect(d.secret && d.default !== undefined, d.key).toBe(false);
    // The hot keys stay secrets of the program, which refuses them in plain text and defaults them to "".
    for (const key of ["kesSigningKey", "vrfSigningKey"] as const) {
      expect(SETTINGS[key].secret, key).toBe(true);
      expect(SETTINGS[key].default, key).toBe("");
      expect(declared.has(key), key).toBe(false);
    }
  });
});

describe("the committed stacks", () => {
  const project = readProject(ROOT);

  it("are preview, preprod and mainnet", () => {
    expect(STACKS).toEqual(expect.arrayContaining(["mainnet", "preprod", "preview"]));
  });

  for (const stack of STACKS) {
    it(`${stack} passes the CLI's checks of Pulumi.yaml: types, required keys, secrets`, () => {
      expect(cliRefusals(projectFile, stack, stackText(stack))).toEqual([]);
      expect(readStackValues(stackText(stack), "stakepool").nulls).toEqual([]);
    });
  }

  for (const stack of ["preview", "preprod", "mainnet"]) {
    it(`${stack} is a complete pool on its own network`, () => {
      const config = readStackConfig(project, stack);
      // Unset hot keys reach the program as absent, not as an empty string the CLI would refuse.
      expect(config.values["stakepool:kesSigningKey"]).toBeUndefined();
      expect(config.values["stakepool:vrfSigningKey"]).toBeUndefined();
      const { model, warnings, settings } = loadPool(config, stack, { plan: true, baseDir: ROOT, now: new Date("2026-11-21T00:00:00Z") });
      expect([settings.kesSigningKey, settings.vrfSigningKey]).toEqual(["", ""]);
      expect(model.network.name).toBe(stack);
      expect(model.relays.length).toBeGreaterThanOrEqual(1);
      // Hot keys are secrets each operator sets for themselves: the committed stacks run a passive core.
      expect(warnings.map((w) => w.setting)).toEqual(["stakepool:operationalCertificate"]);
      expect(warnings[0]!.message).toContain("passive node");
      expect(model.protect).toBe(stack === "mainnet");
    });
  }
});

describe("the same check fails on the whole class of mistakes", () => {
  const preview = stackText("preview");
  /** The preview stack with one line `  stakepool:<key>: <value>` in place of the key's own. */
  const withLine = (line: string) => `${preview.replace(new RegExp(`^${line.split(":").slice(0, 2).join(":")}:.*\\n`, "m"), "")}${line}\n`;
  const withProject = (edit: (text: string) => string) => readProjectConfig(edit(PROJECT_TEXT));

  it("a secret key with a default fails every stack that does not set it", () => {
    const broken = withProject((t) => t.replace("  alertWebhookUrl:\n    type: string\n", "  alertWebhookUrl:\n    type: string\n    secret: true\n"));
    for (const stack of STACKS) {
      expect(cliRefusals(broken, stack, stackText(stack))).toEqual([
        expect.stringMatching(new RegExp(`^Stack '${stack}' with configuration key 'alertWebhookUrl' must be encrypted as it's secret \\(the value is Pulumi.yaml's default`)),
      ]);
    }
  });

  it("a secret key without a default is required of every stack", () => {
    const required = withProject((t) => `${t}  kesSigningKey:\n    type: string\n    secret: true\n`);
    expect(cliRefusals(required, "preview", preview)).toEqual(["Stack 'preview' is missing configuration value 'kesSigningKey'"]);
  });

  it("a stack value of the wrong type", () => {
    for (const [line, type] of [
      ["  stakepool:relays: 2.5", "relays' must be of type 'integer'"],
      ["  stakepool:relays: two", "relays' must be of type 'integer'"],
      ["  stakepool:relays: 1e21", "relays' must be of type 'integer'"],
      ["  stakepool:relays: true", "relays' must be of type 'integer'"],
      ["  stakepool:mithrilBootstrap: yes", "mithrilBootstrap' must be of type 'boolean'"],
      ["  stakepool:mithrilBootstrap: 1", "mithrilBootstrap' must be of type 'boolean'"],
      ["  stakepool:mithrilBootstrap: 'True'", "mithrilBootstrap' must be of type 'boolean'"],
      ["  stakepool:sshPublicKey: [a]", "sshPublicKey' must be of type 'string'"],
      ["  stakepool:extraPeers: relay.example:3001", "extraPeers' must be of type 'array<string>'"],
      ["  stakepool:extraPeers: [3001]", "extraPeers' must be of type 'array<string>'"],
    ] as const) {
      expect(cliRefusals(projectFile, "preview", withLine(line)), line).toEqual([`Stack 'preview' with configuration key '${type}`]);
    }
  });

  it("but not what the CLI accepts, however the program then reads it", () => {
    for (const line of ["  stakepool:relays: 3.0", "  stakepool:relays: '3'", "  stakepool:relays: 0x3", "  stakepool:relays: 1e11", "  stakepool:mithrilBootstrap: True", "  stakepool:mithrilVersion: 2630.0", "  stakepool:nodeVersion: 11"]) {
      expect(cliRefusals(projectFile, "preview", withLine(line)), line).toEqual([]);
    }
  });

  it("a required key left out", () => {
    expect(cliRefusals(projectFile, "preview", preview.replace(/^ {2}stakepool:network: .*\n/m, "").replace(/^ {2}stakepool:adminCidrs:\n(?: {4}- .*\n)+/m, ""))).toEqual([
      "Stack 'preview' is missing configuration values 'adminCidrs' and 'network'",
    ]);
  });
});

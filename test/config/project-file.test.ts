import fs from "node:fs";
import path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { declaredInProject, SETTINGS } from "../../components/config/settings";
import { loadPool } from "../../components/pool/load";
import { listStacks, readProject, readStackConfig } from "../../cli/plan/stack-file";
import { ROOT } from "../helpers/plan";

interface Declaration {
  type: string;
  description?: string;
  default?: unknown;
  secret?: boolean;
  items?: { type: string };
}

const projectFile = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
  name: string;
  stackConfigDir: string;
  config: Record<string, Declaration>;
};

describe("Pulumi.yaml", () => {
  it("is the stakepool project with its stacks in stacks/", () => {
    expect(projectFile.name).toBe("stakepool");
    expect(projectFile.stackConfigDir).toBe("stacks");
  });

  it("declares exactly the settings the program reads, with the same type, default and description", () => {
    // Mappings (stakepool:metadata) and optional secrets (the hot keys) are not declared; the file says so.
    const declarable = Object.entries(SETTINGS).filter(([, spec]) => declaredInProject(spec));
    expect(Object.keys(projectFile.config).sort()).toEqual(declarable.map(([key]) => key).sort());
    for (const [key, spec] of declarable) {
      const declared = projectFile.config[key]!;
      expect(declared.type, key).toBe(spec.type);
      expect(declared.description, key).toBe(spec.description);
      expect(declared.default, key).toEqual(spec.default);
      expect(Boolean(declared.secret), key).toBe(Boolean("secret" in spec && spec.secret));
      if (spec.type === "array") expect(declared.items, key).toEqual({ type: "string" });
    }
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    for (const [key, spec] of Object.entries(SETTINGS)) if (!declaredInProject(spec)) expect(text, key).toContain(`stakepool:${key}`);
  });

  it("gives no secret key a default, which the CLI would merge as plain text and refuse (pulumi/pulumi#21865)", () => {
    for (const [key, declared] of Object.entries(projectFile.config)) {
      expect(declared.secret === true && "default" in declared, key).toBe(false);
    }
    // The hot keys stay secrets of the program, which refuses them in plain text and defaults them to "".
    for (const key of ["kesSigningKey", "vrfSigningKey"] as const) {
      expect(SETTINGS[key].secret, key).toBe(true);
      expect(SETTINGS[key].default, key).toBe("");
      expect(projectFile.config[key], key).toBeUndefined();
    }
  });
});

describe("the committed stacks", () => {
  const project = readProject(ROOT);

  it("are preview, preprod and mainnet", () => {
    expect(listStacks(project)).toEqual(expect.arrayContaining(["mainnet", "preprod", "preview"]));
  });

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

import fs from "node:fs";
import path from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../components/config/settings";
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
  it("names the settings it cannot declare", () => {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    for (const [key, spec] of Object.entries(SETTINGS)) if (spec.type === "object") expect(text).toContain(`stakepool:${key}`);
  });

  it("is the stakepool project with its stacks in stacks/", () => {
    expect(projectFile.name).toBe("stakepool");
    expect(projectFile.stackConfigDir).toBe("stacks");
  });

  it("declares exactly the settings the program reads, with the same type, default and description", () => {
    // Mappings (stakepool:metadata) cannot be declared in Pulumi project config; the file says so.
    const declarable = Object.entries(SETTINGS).filter(([, spec]) => spec.type !== "object");
    expect(Object.keys(projectFile.config).sort()).toEqual(declarable.map(([key]) => key).sort());
    for (const [key, spec] of declarable) {
      const declared = projectFile.config[key]!;
      expect(declared.type, key).toBe(spec.type);
      expect(declared.description, key).toBe(spec.description);
      expect(declared.default, key).toEqual(spec.default);
      expect(Boolean(declared.secret), key).toBe(Boolean("secret" in spec && spec.secret));
      if (spec.type === "array") expect(declared.items, key).toEqual({ type: "string" });
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
      const { model, warnings } = loadPool(readStackConfig(project, stack), stack, { plan: true, baseDir: ROOT, now: new Date("2026-11-21T00:00:00Z") });
      expect(model.network.name).toBe(stack);
      expect(model.relays.length).toBeGreaterThanOrEqual(1);
      // Hot keys are secrets each operator sets for themselves: the committed stacks run a passive core.
      expect(warnings.map((w) => w.setting)).toEqual(["stakepool:operationalCertificate"]);
      expect(warnings[0]!.message).toContain("passive node");
      expect(model.protect).toBe(stack === "mainnet");
    });
  }
});

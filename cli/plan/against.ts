/**
 * Reading an earlier plan's output for `--against`, and comparing it with a fresh plan in the same
 * written form (resources.json is what both sides share, with delivered files shown as digests).
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigurationError } from "../../components/config/problems";
import type { Plan } from "./build-plan";
import type { StepEffect } from "../../components/features";
import { compareRuns, type ChangeContext, type ChangeReport, type PlannedResource } from "./changes";

export function readEarlierPlan(dir: string): readonly PlannedResource[] {
  const file = path.join(dir, "resources.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new ConfigurationError([
      { setting: "--against", message: `${dir} holds no resources.json: it is not the output of an earlier plan`, fix: "npm run plan -- --stack <stack> --out <dir> on the earlier commit, then --against <dir>" },
    ]);
  }
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) {
    throw new ConfigurationError([{ setting: "--against", message: `${file} is not a plan's resource list`, fix: "use the folder an earlier npm run plan wrote" }]);
  }
  return parsed as PlannedResource[];
}

export function changesAgainst(earlier: readonly PlannedResource[], plan: Plan): ChangeReport {
  const fresh = JSON.parse(plan.files.get("resources.json")!) as PlannedResource[];
  return compareRuns(earlier, fresh, plan.changeContext);
}

interface DeploymentFile {
  readonly rollout: readonly string[];
  readonly hosts: ReadonlyArray<{ readonly name: string; readonly steps: ReadonlyArray<{ readonly name: string; readonly effect: StepEffect }> }>;
}

/** The change context from a plan's own deployment.json (for tools that have only the two outputs). */
export function changeContextOf(deploymentJson: string): ChangeContext {
  const deployment = JSON.parse(deploymentJson) as DeploymentFile;
  return {
    rollout: deployment.rollout,
    stepEffects: new Map(deployment.hosts.flatMap((h) => h.steps.map((s) => [`pool-${h.name}-${s.name}`, s.effect] as const))),
  };
}

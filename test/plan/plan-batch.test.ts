/**
 * Several plans in one process (test/helpers/plan-batch-runner.ts, which test/plan/setting-changes.test.ts
 * uses for its ~100 plans) must be the plans an operator gets from `npm run plan`, one process each: a
 * plan that ran after others, with another config, is byte-identical to the same config planned alone.
 */
import { describe, expect, it } from "vitest";
import { readProject, readStackConfig } from "../../cli/plan/stack-file";
import type { RawConfig } from "../../components/config/read";
import { planEach, planWith, ROOT } from "../helpers/plan";

const project = readProject(ROOT);

function withSettings(stack: string, settings: Readonly<Record<string, string>>): RawConfig {
  const base = readStackConfig(project, stack);
  return { values: { ...base.values, ...settings }, secretKeys: base.secretKeys };
}

describe("plans run one after another in one process", () => {
  it("equal the same plans each in its own process, whatever ran before them", async () => {
    // Changes that add and remove hosts, resources and files around the committed stack, in one process.
    const configs = [
      withSettings("mainnet", { "stakepool:relays": "3", "stakepool:mithrilBootstrap": "false" }),
      withSettings("mainnet", {}),
      withSettings("mainnet", { "stakepool:relays": "1", "stakepool:nodeVersion": "11.2.0" }),
    ];
    const together = await planEach("mainnet", configs, { processes: 1 });
    for (const [i, config] of configs.entries()) {
      const alone = await planWith("mainnet", config);
      expect(Object.keys(together[i]!).sort(), `plan ${i}: its files`).toEqual(Object.keys(alone).sort());
      for (const file of Object.keys(alone)) expect(together[i]![file], `plan ${i}: ${file}`).toBe(alone[file]);
    }
    // The changes did change the plans, so the comparison above could see a plan left over from before.
    expect(together[0]!["hosts.json"]).not.toBe(together[1]!["hosts.json"]);
    expect(together[2]!["hosts.json"]).not.toBe(together[1]!["hosts.json"]);
  }, 120_000);

  it("stop at a plan that fails and name it", async () => {
    const configs = [withSettings("preview", {}), withSettings("preview", { "stakepool:relays": "zero" })];
    await expect(planEach("preview", configs, { processes: 1, labels: ["the committed stack", "relays = zero"] })).rejects.toThrow(
      /preview: the plan of relays = zero failed:[\s\S]*stakepool:relays/,
    );
  }, 120_000);
});

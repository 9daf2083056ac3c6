/**
 * The e2e harness's own decisions, which the box relies on to say anything about the kit: it runs the
 * kit's steps with the kit's scripts and stdin, in StakePool's order, re-runs only what changed, changes
 * nothing but the release URLs (and the stand-in Grafana's SHA-256), and judges probes by the pool's
 * intended policy.
 */
import { describe, expect, it } from "vitest";
import { deliveryScript, deliveryStdin } from "../../components/delivery/bundle";
import { planDeployment } from "../../components/deployment/deployment";
import { GRAFANA_RELEASE } from "../../components/features/monitoring/grafana";
import { GRAFANA_RELEASE_ENV } from "../../components/features/monitoring/paths";
import { NODE_ENV_FILE } from "../../components/node/paths";
import { applySteps, planSteps, withReleaseMirror, type PlannedStep } from "../../e2e/deploy";
import { intended, mismatch, type Intent, type ProbeResult } from "../../e2e/probes";
import { testPool } from "../helpers/model";

const MIRROR = { releases: "http://192.0.2.80", grafana: { base: "https://192.0.2.80", sha256: "ab".repeat(32) } };
const servers = new Map([
  ["core", "i-0core"],
  ["relay-1", "i-0relay1"],
  ["relay-2", "i-0relay2"],
]);

describe("the harness runs the kit's deployment as pulumi up would", () => {
  // The box's pool: no monitoring host (e2e/pool.ts).
  const pool = testPool("preview", { relays: 2, monitoring: false });
  const deployment = planDeployment(pool);
  const { steps, rewrites } = planSteps(deployment, servers, MIRROR);

  it("sends each step's own script, headed by the server's id, and its own stdin; only node.env's two release URLs differ", () => {
    for (const hostDeployment of deployment.hosts) {
      for (const step of hostDeployment.steps) {
        const planned = steps.find((s) => s.key === `${hostDeployment.host.name}/${step.name}`)!;
        const header = `# for server ${servers.get(hostDeployment.host.name)!}\n`;
        expect(planned.create.startsWith(header)).toBe(true);
        if (step.name !== "node-setup") {
          expect(planned.create).toBe(header + deliveryScript(step.delivery));
          expect(planned.stdin).toBe(deliveryStdin(step.delivery));
        }
      }
    }
    expect(rewrites.map((r) => `${r.host} ${r.setting}`).sort()).toEqual(
      ["core", "relay-1", "relay-2"].flatMap((h) => [`${h} MITHRIL_RELEASE_BASE_URL`, `${h} NODE_RELEASE_BASE_URL`]).sort(),
    );
    const setup = deployment.hosts[0]!.steps.find((s) => s.name === "node-setup")!;
    const nodeEnv = (step: typeof setup) => step.delivery.files.find((f) => f.path === NODE_ENV_FILE)!.content.split("\n");
    const original = nodeEnv(setup);
    const mirrored = withReleaseMirror("core", setup, MIRROR).step;
    const changed = nodeEnv(mirrored).filter((line, i) => line !== original[i]);
    expect(mirrored.delivery.files.filter((f) => f.path !== NODE_ENV_FILE)).toEqual(setup.delivery.files.filter((f) => f.path !== NODE_ENV_FILE));
    expect(changed).toEqual([
      `MITHRIL_RELEASE_BASE_URL=${MIRROR.releases}/IntersectMBO/mithril/releases/download`,
      `NODE_RELEASE_BASE_URL=${MIRROR.releases}/IntersectMBO/cardano-node/releases/download`,
    ]);
  });

  it("gives the monitoring host's Grafana install the wire's https URL (same path) and the stand-in's SHA-256, nothing else", () => {
    const monitored = planDeployment(testPool("preview", { relays: 1 }));
    const step = monitored.hosts.find((d) => d.host.role === "monitor")!.steps.find((s) => s.name === "monitoring")!;
    const release = (s: typeof step) => s.delivery.files.find((f) => f.path === GRAFANA_RELEASE_ENV)!.content.split("\n");
    const mirrored = withReleaseMirror("monitor", step, MIRROR);
    const changed = release(mirrored.step).filter((line, i) => line !== release(step)[i]);
    expect(changed).toEqual([`GRAFANA_URL=https://192.0.2.80${new URL(GRAFANA_RELEASE.url).pathname}`, `GRAFANA_SHA256=${"ab".repeat(32)}`]);
    expect(release(mirrored.step)).toContain(`GRAFANA_VERSION=${GRAFANA_RELEASE.version}`);
    expect(mirrored.step.delivery.files.filter((f) => f.path !== GRAFANA_RELEASE_ENV)).toEqual(step.delivery.files.filter((f) => f.path !== GRAFANA_RELEASE_ENV));
    expect(mirrored.step.delivery.apply).toEqual(step.delivery.apply);
    expect(() => withReleaseMirror("monitor", step, { releases: MIRROR.releases })).toThrow(/no stand-in/);
  });

  it("chains each host's steps, and rolls the restarting steps relays first, the core last", () => {
    for (const host of ["core", "relay-1", "relay-2"]) {
      const own = steps.filter((s) => s.host === host);
      own.slice(1).forEach((step, i) => expect(step.dependsOn).toContain(own[i]!.key));
    }
    expect(steps.find((s) => s.key === "relay-2/node")!.dependsOn).toContain("relay-1/node");
    expect(steps.find((s) => s.key === "core/node")!.dependsOn).toContain("relay-2/node");
    // relay-1 restarts first: after its own previous step only.
    expect(steps.find((s) => s.key === "relay-1/node")!.dependsOn).toEqual(["relay-1/topology"]);
  });

  it("re-runs exactly the changed steps, each after its dependencies; a failure skips what depends on it", async () => {
    const order: string[] = [];
    const ok = async (step: PlannedStep) => {
      order.push(`start ${step.key}`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`end ${step.key}`);
      return { code: 0, stdout: "", stderr: "" };
    };
    const first = await applySteps(steps, new Map(), ok, () => undefined);
    expect(first.runs.every((r) => r.outcome === "ran")).toBe(true);
    for (const step of steps) for (const dep of step.dependsOn) expect(order.indexOf(`end ${dep}`)).toBeLessThan(order.indexOf(`start ${step.key}`));

    const again = await applySteps(steps, first.digests, ok, () => undefined);
    expect(again.runs.filter((r) => r.outcome !== "same")).toEqual([]);

    const rotated = planSteps(planDeployment(testPool("preview", { relays: 2, monitoring: false, peerSeed: "another" })), servers, MIRROR).steps;
    const failing = async (step: PlannedStep) => (step.key === "relay-1/topology" ? { code: 1, stdout: "", stderr: "boom" } : ok(step));
    const changed = await applySteps(rotated, first.digests, failing, () => undefined);
    const outcome = (key: string) => changed.runs.find((r) => r.key === key)!.outcome;
    expect(outcome("relay-1/topology")).toBe("failed");
    expect(outcome("relay-2/topology")).toBe("ran");
    expect(outcome("core/topology")).toBe("same");
    expect(outcome("relay-1/node")).toBe("skipped");
    expect(changed.digests.get("relay-1/topology")).toBe(first.digests.get("relay-1/topology"));
  });
});

describe("probes are judged by the pool's intended policy", () => {
  // relay-2's sshd listens on 2222 (an own server, stakepool:servers sshPort): 22 is then shut there.
  const intent: Intent = { core: "core", relays: ["relay-1", "relay-2"], admin: "admin", sshPorts: new Map([["core", 22], ["relay-1", 22], ["relay-2", 2222]]) };
  const probe = (from: string, host: string, port: number, family: "ipv4" | "ipv6" = "ipv4") => ({ host, family, address: "x", port });
  it.each([
    ["relay-1", "core", 22, "ipv4", true],
    ["relay-2", "core", 3001, "ipv4", true],
    ["admin", "core", 22, "ipv4", false],
    ["outsider", "core", 3001, "ipv4", false],
    ["relay-1", "core", 3001, "ipv6", false],
    ["outsider", "relay-1", 3001, "ipv4", true],
    ["outsider", "relay-1", 3001, "ipv6", false],
    ["admin", "relay-1", 22, "ipv4", true],
    ["admin", "relay-2", 2222, "ipv4", true],
    ["admin", "relay-2", 22, "ipv4", false],
    ["relay-2", "relay-2", 22, "ipv4", true],
    ["outsider", "relay-2", 2222, "ipv4", false],
    ["admin", "relay-1", 2222, "ipv4", false],
    ["core", "relay-1", 22, "ipv4", false],
    ["relay-1", "relay-2", 12798, "ipv4", false],
    ["core", "core", 12798, "ipv4", true],
  ] as const)("%s -> %s:%i over %s: %s", (from, host, port, family, open) => {
    expect(intended(intent, from, probe(from, host, port, family))).toBe(open);
  });

  // The own servers' box: a monitoring host, and the signer's proxy on relay-1.
  const monitored: Intent = { ...intent, monitor: "monitor", proxies: ["relay-1"] };
  it.each([
    ["monitor", "core", 12798, "ipv4", true],
    ["monitor", "relay-2", 9100, "ipv4", true],
    ["monitor", "core", 9100, "ipv6", false],
    ["relay-1", "core", 9100, "ipv4", false],
    ["admin", "relay-1", 12798, "ipv4", false],
    ["core", "monitor", 9100, "ipv4", false],
    ["monitor", "monitor", 9100, "ipv4", true],
    ["relay-1", "monitor", 22, "ipv4", true],
    ["admin", "monitor", 22, "ipv4", false],
    ["outsider", "monitor", 3001, "ipv4", false],
    ["monitor", "core", 22, "ipv4", false],
    ["monitor", "relay-1", 22, "ipv4", false],
    ["core", "relay-1", 3132, "ipv4", true],
    ["core", "relay-2", 3132, "ipv4", false],
    ["monitor", "relay-1", 3132, "ipv4", false],
    ["core", "relay-1", 3132, "ipv6", false],
  ] as const)("with a monitoring host and a proxy: %s -> %s:%i over %s: %s", (from, host, port, family, open) => {
    expect(intended(monitored, from, probe(from, host, port, family))).toBe(open);
  });

  it("without a monitoring host or a signer, no one but the host reaches the metrics ports or the proxy's", () => {
    for (const port of [12798, 9100, 3132]) for (const from of ["core", "relay-1", "admin", "outsider"]) expect(intended(intent, from, probe(from, "relay-2", port))).toBe(false);
  });

  it("a closed port must be dropped, not refused", () => {
    const refused: ProbeResult = { ...probe("outsider", "core", 22), from: "outsider", outcome: "refused" };
    expect(mismatch(intent, refused)).toMatch(/expected dropped/);
    expect(mismatch(intent, { ...refused, outcome: "timeout" })).toBeUndefined();
  });
});

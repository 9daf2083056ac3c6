import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The Pulumi runtime is process-global: every test file runs in its own process.
    pool: "forks",
    isolate: true,
    // Most suites wait on real tools (namespaces, loop devices, sshd, Prometheus), not on the CPU: three
    // at once on a 2-core machine took the suite from 513 s to 301 s (vitest's default is cores - 1),
    // four 308 s against 337 s for three (two fresh-clone CI runs, this session).
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

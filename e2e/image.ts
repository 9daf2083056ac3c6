/**
 * The guest image: built once by e2e/image/build.sh and cached outside the repository, in a folder named
 * by a hash of everything that goes into it (the script, the package list, the mirror). A lock (flock)
 * keeps parallel runs from building the same image twice; the second run waits, then finds it built.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { RELAY_PROXY_PACKAGES } from "../components/features/mithril-signer/commands";
import { MONITOR_PACKAGES } from "../components/features/monitoring/steps";
import { SYSTEM_PACKAGES } from "../components/features/system/index";

export const CACHE_DIR = process.env.STAKEPOOL_E2E_CACHE ?? "/var/cache/stakepool-e2e";
const SCRIPT = path.join(__dirname, "image", "build.sh");

/**
 * What the guests need besides the packages the kit's steps install from a mirror the guests cannot reach
 * (the system step's SYSTEM_PACKAGES, the monitoring host's MONITOR_PACKAGES, a proxy relay's squid):
 * an Ubuntu cloud image's basics, and the test's tools. build.sh leaves the services of the kit's packages
 * disabled, so a guest boots like a server where the kit has not installed them yet.
 */
export const BASE_PACKAGES = [
  "cloud-init",
  "dbus",
  "ifupdown",
  "iproute2",
  "isc-dhcp-client",
  "libnss-myhostname",
  "linux-image-amd64",
  "locales",
  "nodejs", // the stand-in node's file checker (e2e/standin/checker.ts)
  "openssh-server",
  "procps",
  // Without it debootstrap leaves cloud-init unconfigured (facts/vm.md).
  "python3-cffi-backend",
  "sudo",
  "systemd",
  "systemd-sysv",
  "udev",
] as const;

export function imagePackages(): string[] {
  return [...new Set<string>([...BASE_PACKAGES, ...SYSTEM_PACKAGES, ...MONITOR_PACKAGES, ...RELAY_PROXY_PACKAGES])].sort();
}

/**
 * The Debian bookworm mirror apt already uses on this machine (a deb822 stanza or a one-line source for
 * the suite bookworm), else deb.debian.org (on an Ubuntu CI runner, for instance).
 */
export function debianMirror(): string {
  for (const file of ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1];
      if (uri && /^Suites:.*\bbookworm\b/m.test(stanza)) return uri;
    }
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (line?.[1]) return line[1];
  }
  return "http://deb.debian.org/debian";
}

export interface GuestImage {
  readonly dir: string;
  readonly rootImage: string;
  readonly kernel: string;
  readonly initrd: string;
  /** Seconds the build took in this run; 0 when the cache had it. */
  readonly builtSeconds: number;
  readonly cached: boolean;
}

/** The cache folder of the image this recipe makes. */
export function imageDir(mirror: string, packages: readonly string[]): string {
  const key = createHash("sha256").update(readFileSync(SCRIPT)).update(`\0${mirror}\0${packages.join(",")}`).digest("hex").slice(0, 16);
  return path.join(CACHE_DIR, `image-${key}`);
}

export async function ensureImage(log: (line: string) => void): Promise<GuestImage> {
  const mirror = debianMirror();
  const packages = imagePackages();
  const dir = imageDir(mirror, packages);
  const image = { dir, rootImage: path.join(dir, "root.img"), kernel: path.join(dir, "vmlinuz"), initrd: path.join(dir, "initrd.img") };
  if (existsSync(image.rootImage)) return { ...image, builtSeconds: 0, cached: true };
  mkdirSync(CACHE_DIR, { recursive: true });
  log(`building the guest image in ${dir} (debootstrap from ${mirror}; a few minutes, once)`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = execFile(
      "flock",
      ["-w", "1800", path.join(CACHE_DIR, "build.lock"), SCRIPT, dir, mirror, packages.join(",")],
      { maxBuffer: 64 * 1024 * 1024 },
      (error) => (error ? reject(new Error(`the image build failed: ${error.message}`)) : resolve()),
    );
    child.stderr?.on("data", (d: Buffer) => d.toString().split("\n").filter(Boolean).forEach((l) => log(l)));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  return { ...image, builtSeconds: seconds, cached: false };
}

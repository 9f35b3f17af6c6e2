// Shared by `npm start` and `npm test`: installs what is missing (npm dependencies, Debian
// packages when running as root), and compiles TypeScript when the sources are newer than dist/.
// Plain JavaScript with no dependencies, so it runs on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const say = (msg) => process.stderr.write(`[clary] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    say(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

export function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) {
    say(`Node ${process.versions.node} is too old: Clary needs Node 20 or newer.`);
    process.exit(1);
  }
}

/** npm dependencies: installed when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm dependencies (first run; about a minute)…');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

function onPath(bin) {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, bin)));
}

/**
 * Debian packages, each with a file that proves it is there. Installed with apt-get when running
 * as root; otherwise the exact command is printed.
 */
export function ensureDebianPackages(packages) {
  const missing = packages.filter((p) => !p.present());
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  const line = `apt-get install -y --no-install-recommends ${names.join(' ')}`;
  if (process.getuid?.() !== 0) {
    say(`missing Debian packages: ${names.join(', ')}. Install them with:\n  sudo apt-get update && sudo ${line}`);
    process.exit(1);
  }
  say(`installing Debian packages: ${names.join(', ')}…`);
  run('apt-get', ['update', '-q'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export const bin = (name, pkg) => ({ name: pkg, present: () => onPath(name) });
export const file = (path, pkg) => ({ name: pkg, present: () => existsSync(path) });

const pyPackage = (module, pkg) => file(`/usr/lib/python3/dist-packages/${module}`, pkg);

/**
 * What the server needs at run time: bubblewrap sandboxes each instance; Debian's Python
 * (/usr/bin/python3) with scikit-learn, PyTorch and XGBoost is the process lane's framework runtime.
 */
export const SERVER_PACKAGES = [
  bin('bwrap', 'bubblewrap'),
  file('/usr/bin/python3', 'python3'),
  pyPackage('sklearn', 'python3-sklearn'),
  pyPackage('torch', 'python3-torch'),
  pyPackage('xgboost', 'python3-xgboost'),
  pyPackage('pandas', 'python3-pandas'),
  // Studio apps (docs/studio-apps.md): Jupyter Notebook 6.4 / Jupyter Server 1.23 with ipykernel.
  pyPackage('notebook', 'jupyter-notebook'),
  pyPackage('ipykernel', 'python3-ipykernel'),
  // Space volumes (docs/studio.md): each space's storage is an ext4 image, loop-mounted.
  file('/usr/sbin/mkfs.ext4', 'e2fsprogs'),
  // The container lane (custom training images): Podman serves the Docker Engine API; runc
  // because crun fails on hybrid cgroup v1 hosts; catatonit as the containers' init. See docs/containers.md.
  bin('podman', 'podman'),
  file('/usr/sbin/runc', 'runc'),
  bin('catatonit', 'catatonit'),
  // `clary images build sklearn|pytorch|xgboost`: the framework images' Debian base (docs/containers.md).
  file('/usr/sbin/debootstrap', 'debootstrap'),
];

/** What the test suite needs beyond the server's (a throwaway PostgreSQL). */
export const TEST_PACKAGES = [
  { name: 'postgresql', present: () => onPath('initdb') || readdirSafe('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) },
  // The container lane's test images are busybox-static root file systems (podman import).
  file('/bin/busybox', 'busybox-static'),
  // Browser tests (Studio apps): Debian's Chromium driven by playwright-core.
  file('/usr/bin/chromium', 'chromium'),
];

function readdirSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSafe(dir)) {
    const p = join(dir, entry);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Compiles src/ into dist/ when any source (or the build config) is newer than the last build. */
export function ensureBuilt() {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  say('compiling TypeScript…');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  writeFileSync(stamp, new Date().toISOString() + '\n');
}

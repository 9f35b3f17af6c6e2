// `npm test [-- vitest args]`: installs what the suite needs (npm dependencies, Debian packages such
// as PostgreSQL when running as root), builds, and runs the whole suite with vitest.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkNode, ensureNodeModules, ensureDebianPackages, ensureBuilt, SERVER_PACKAGES, TEST_PACKAGES, root } from './prepare.mjs';

checkNode();
ensureNodeModules();
ensureDebianPackages([...SERVER_PACKAGES, ...TEST_PACKAGES]);
ensureBuilt();
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);

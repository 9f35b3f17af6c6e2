// `npm run bench [-- name …]`: builds what is needed, then runs bench/run.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkNode, ensureNodeModules, ensureDebianPackages, ensureBuilt, bin, SERVER_PACKAGES, root } from './prepare.mjs';

checkNode();
ensureNodeModules();
ensureDebianPackages([...SERVER_PACKAGES, bin('wrk', 'wrk')]);
ensureBuilt();
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'run.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);

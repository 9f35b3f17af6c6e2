// `npm start [-- --port N --data-dir DIR …]`: installs what is missing, builds, and runs `clary up`
// in the foreground.
import { checkNode, ensureNodeModules, ensureDebianPackages, ensureBuilt, SERVER_PACKAGES, root } from './prepare.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

checkNode();
ensureNodeModules();
ensureDebianPackages(SERVER_PACKAGES);
ensureBuilt();
process.argv = [process.argv[0], 'clary', 'up', ...process.argv.slice(2)];
await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);

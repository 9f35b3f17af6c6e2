#!/usr/bin/env node
// The `clary` command: runs the compiled CLI (npm start / npm run build compile it into dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('clary: not built yet. Run `npm start` once (it installs and builds), or `npm run build`.\n');
  process.exit(2);
}
await import(main);

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `npm run bench [-- name …]`: runs the benchmarks (all by default), prints each result and writes
 * bench/results/<name>.json, which README's Performance section quotes.
 */
const ALL: Record<string, () => Promise<{ name: string }>> = {
  'control-plane': async () => (await import('./control-plane.js')).run(),
  startup: async () => (await import('./startup.js')).run(),
  's3-throughput': async () => (await import('./s3-throughput.js')).run(),
  'runner-start': async () => (await import('./runner-start.js')).run(),
  'container-network-start': async () => (await import('./container-network-start.js')).run(),
  'training-overhead': async () => (await import('./training-overhead.js')).run(),
  'framework-lanes': async () => (await import('./framework-lanes.js')).run(),
  placement: async () => (await import('./placement.js')).run(),
  'list-resources': async () => (await import('./list-resources.js')).run(),
  'training-input': async () => (await import('./training-input.js')).run(),
  'training-burst': async () => (await import('./training-burst.js')).run(),
  'hosting-invoke': async () => (await import('./hosting-invoke.js')).run(),
  'container-invoke': async () => (await import('./container-invoke.js')).run(),
  'hosting-start': async () => (await import('./hosting-start.js')).run(),
  'hosting-density': async () => (await import('./hosting-density.js')).run(),
  'studio-apps': async () => (await import('./studio-apps.js')).run(),
  'space-volumes': async () => (await import('./space-volumes.js')).run(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(ALL);
const dir = join(new URL('.', import.meta.url).pathname, 'results');
await mkdir(dir, { recursive: true });
let failed = false;
for (const name of names) {
  const bench = ALL[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; have: ${Object.keys(ALL).join(', ')}`);
    failed = true;
    continue;
  }
  process.stderr.write(`[bench] ${name}…\n`);
  try {
    const result = { ...(await bench()), measuredAt: new Date().toISOString(), machine: `${(await import('node:os')).cpus().length} cores, node ${process.versions.node}` };
    console.log(JSON.stringify(result, null, 2));
    await writeFile(join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  } catch (e) {
    failed = true;
    console.error(`[bench] ${name} failed: ${(e as Error).stack}`);
  }
}
process.exit(failed ? 1 : 0);

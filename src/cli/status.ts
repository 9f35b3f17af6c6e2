import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileConfig, type ConfigInput } from '../core/config.js';

/** `clary status`: is a Clary answering for this data dir (or port)? Exit code 0 when healthy. */
export async function status(opts: ConfigInput, env: NodeJS.ProcessEnv): Promise<number> {
  const config = compileConfig(opts, env);
  let endpoint = `http://${config.host}:${config.port}`;
  if (opts.port === undefined && env.CLARY_PORT === undefined) {
    try {
      const run = JSON.parse(await readFile(join(config.dataDir, 'clary.json'), 'utf8')) as { endpoint?: string };
      if (run.endpoint) endpoint = run.endpoint;
    } catch {
      /* not started from this data dir: try the configured port */
    }
  }
  try {
    const res = await fetch(`${endpoint}/_clary/health`, { signal: AbortSignal.timeout(3000) });
    const body = (await res.json()) as { status?: string };
    process.stdout.write(`${endpoint}: ${body.status ?? res.status}\n`);
    return res.ok ? 0 : 1;
  } catch (e) {
    process.stdout.write(`${endpoint}: not running (${(e as Error).message}). Start it with: npm start  (or: clary up)\n`);
    return 1;
  }
}

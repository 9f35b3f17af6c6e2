import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** GET /_ping on a Docker Engine API socket: true when it answers 200 "OK". */
export function ping(socketPath: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Polls /_ping until it answers, `gone()` says the server died, or the deadline passes. */
export async function waitForPing(socketPath: string, timeoutMs: number, gone: () => string | undefined = () => undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (await ping(socketPath, 1_000)) return;
    const why = gone();
    if (why) throw new Error(why);
    if (Date.now() > deadline) throw new Error(`the container engine at ${socketPath} did not answer /_ping within ${timeoutMs} ms`);
    await sleep(delay);
  }
}

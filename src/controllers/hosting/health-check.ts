import { request } from 'node:http';

/** One GET /ping with SageMaker's 2 s per-attempt timeout: true on 200. */
export function ping(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/ping', method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

export type HealthOutcome = { healthy: true } | { healthy: false; why: 'timeout' | 'exited' | 'cancelled' };

/**
 * Polls /ping until it answers 200 (healthy), the deadline passes, the process ends (`exited`
 * resolves) or `signal` aborts.
 */
export async function waitHealthy(port: number, timeoutMs: number, exited: Promise<unknown>, signal: AbortSignal, intervalMs = 200): Promise<HealthOutcome> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal.aborted) return { healthy: false, why: 'cancelled' };
    if (gone) return { healthy: false, why: 'exited' };
    if (await ping(port)) return { healthy: true };
    if (gone) return { healthy: false, why: 'exited' };
    if (Date.now() >= deadline) return { healthy: false, why: 'timeout' };
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

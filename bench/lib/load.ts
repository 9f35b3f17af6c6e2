import { Agent, request } from 'node:http';

/**
 * Replays one prepared request over `connections` keep-alive connections for `seconds`, and
 * reports completed requests per second. The same request bytes go to every target, so the
 * client's cost is identical on both sides of a comparison.
 */
export interface PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export async function replay(req: PreparedRequest, connections: number, seconds: number): Promise<{ rps: number; errors: number; statuses: Record<number, number> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(req.url);
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const statuses: Record<number, number> = {};
  const one = () =>
    new Promise<void>((resolve) => {
      const r = request(
        { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers: req.headers },
        (res) => {
          statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) done++;
            else errors++;
            resolve();
          });
        },
      );
      r.on('error', () => {
        errors++;
        resolve();
      });
      r.end(req.body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { rps: done / elapsed, errors, statuses };
}

import { request } from 'node:http';

/** What Jupyter's GET <base_url>api/status answers. */
export interface JupyterStatus {
  /** Last kernel, terminal or API activity (epoch ms). */
  readonly lastActivity: number;
  readonly kernels: number;
  readonly connections: number;
}

/** One GET <base_url>api/status with the app's token; undefined when it does not answer 200 with JSON. */
export function jupyterStatus(host: string, port: number, baseUrl: string, token: string, timeoutMs = 2000): Promise<JupyterStatus | undefined> {
  return new Promise((resolve) => {
    const req = request(
      { host, port, path: `${baseUrl}api/status`, method: 'GET', timeout: timeoutMs, agent: false, headers: { authorization: `token ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve(undefined);
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { last_activity?: string; kernels?: number; connections?: number };
            const last = Date.parse(body.last_activity ?? '');
            resolve({ lastActivity: Number.isFinite(last) ? last : Date.now(), kernels: body.kernels ?? 0, connections: body.connections ?? 0 });
          } catch {
            resolve(undefined);
          }
        });
        res.on('error', () => resolve(undefined));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

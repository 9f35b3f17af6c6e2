import { request } from 'node:http';

export interface ModelResponse {
  status: number;
  body: Buffer;
}

/** One HTTP exchange with a model server on the loopback. Rejects on connection errors and timeouts. */
export function exchange(port: number, method: 'GET' | 'POST', path: string, opts: { body?: Buffer; headers?: Record<string, string>; timeoutMs: number; signal?: AbortSignal }): Promise<ModelResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body) headers['content-length'] = opts.body.length;
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: opts.timeoutMs, agent: false, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The model server's answers to GET /execution-parameters, mapped to the API's names; {} when it has none. */
export interface ExecutionParameters {
  MaxConcurrentTransforms?: number;
  BatchStrategy?: 'SingleRecord' | 'MultiRecord';
  MaxPayloadInMB?: number;
}

export async function executionParameters(port: number): Promise<ExecutionParameters> {
  try {
    const res = await exchange(port, 'GET', '/execution-parameters', { timeoutMs: 5000 });
    if (res.status !== 200) return {};
    const j = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    const out: ExecutionParameters = {};
    if (Number.isInteger(j.MaxConcurrentTransforms) && (j.MaxConcurrentTransforms as number) > 0) out.MaxConcurrentTransforms = j.MaxConcurrentTransforms as number;
    if (Number.isInteger(j.MaxPayloadInMB) && (j.MaxPayloadInMB as number) >= 0) out.MaxPayloadInMB = j.MaxPayloadInMB as number;
    const s = String(j.BatchStrategy ?? '').toUpperCase().replace(/_/g, '');
    if (s === 'MULTIRECORD') out.BatchStrategy = 'MultiRecord';
    if (s === 'SINGLERECORD') out.BatchStrategy = 'SingleRecord';
    return out;
  } catch {
    return {};
  }
}

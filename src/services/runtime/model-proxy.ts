import { Agent, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/**
 * Keep-alive connections to the model servers (one pool for every instance). maxFreeSockets (per
 * instance) stays above the connections a loaded client keeps open, so a burst's sockets stay warm;
 * noDelay is set once per socket at connect (not per request).
 */
export const modelAgent = new Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: 512, maxFreeSockets: 256, noDelay: true });

export interface ModelResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The connection failed before the model sent anything: the request can go to another instance. */
export class ConnectFailure extends Error {}
export class ModelTimeout extends Error {}

/** The container contract's headers that go to the model (SageMaker strips the rest). */
const FORWARDED = ['content-type', 'accept', 'x-amzn-sagemaker-custom-attributes', 'x-amzn-sagemaker-inference-id', 'x-amzn-sagemaker-target-model'] as const;

export function forwardHeaders(from: IncomingHttpHeaders, length: number): Record<string, string | number> {
  const out: Record<string, string | number> = { 'content-length': length };
  for (const h of FORWARDED) {
    const v = from[h];
    if (typeof v === 'string') out[h] = v;
  }
  return out;
}

/** POST /invocations on one instance; the whole response is read (to turn 4xx/5xx into ModelError). */
export function invokeModel(port: number, headers: Record<string, string | number>, body: Buffer, timeoutMs: number): Promise<ModelResponse> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/invocations', headers, agent: modelAgent }, (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('the model server closed the connection mid-response')));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new ModelTimeout('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof ModelTimeout) return reject(e);
      // Refused, or reset before any byte of a response (a dead instance, or a kept-alive socket it closed).
      if (!responded && (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'EPIPE')) return reject(new ConnectFailure(e.message));
      reject(e);
    });
    req.end(body);
  });
}

/**
 * POST /invocations whose answer is handed over as it arrives (InvokeEndpointWithResponseStream):
 * resolves with the response once its headers are in.
 */
export function openModelStream(port: number, headers: Record<string, string | number>, body: Buffer, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/invocations', headers, agent: modelAgent }, (res) => {
      responded = true;
      req.setTimeout(0);
      resolve(res);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new ModelTimeout('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (responded) return;
      if (e instanceof ModelTimeout) return reject(e);
      if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'EPIPE') return reject(new ConnectFailure(e.message));
      reject(e);
    });
    req.end(body);
  });
}

/** The rest of a response, as a Buffer. */
export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

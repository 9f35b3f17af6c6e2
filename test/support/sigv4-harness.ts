import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isServiceError, type ServiceError } from '../../src/core/errors.js';
import type { Principal } from '../../src/core/principal.js';
import { authenticate } from '../../src/server/auth/authenticate.js';
import { openPayload } from '../../src/server/auth/payload.js';
import type { AuthFamily, AuthResult, KeyResolver } from '../../src/server/auth/types.js';

/**
 * A tiny real HTTP server that authenticates every request with Clary's SigV4 code and records
 * the outcome, so tests can drive it with the real AWS SDK clients or hand-made requests.
 */
export interface Outcome {
  readonly raw: { method: string; url: string; headers: IncomingMessage['headers'] };
  readonly auth?: AuthResult;
  readonly error?: ServiceError;
  /** Decoded body (S3 family) or the buffered body (others). */
  readonly body?: Buffer;
  readonly checksums?: Record<string, string>;
}

export interface SigV4Harness {
  readonly endpoint: string;
  readonly port: number;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Which error family to authenticate as; tests set it before each request. */
  family: AuthFamily;
  /** The server's notion of now (epoch ms); undefined: the real clock. */
  now: number | undefined;
  readonly outcomes: Outcome[];
  last(): Outcome;
  /** Resolves once `count` outcomes have been recorded. */
  waitFor(count: number): Promise<Outcome>;
  close(): Promise<void>;
}

export const TEST_PRINCIPAL: Principal = {
  arn: 'arn:aws:iam::000000000000:root',
  accountId: '000000000000',
  userId: '000000000000',
  accessKeyId: 'AKIDCLARYTEST0000001',
  isAdmin: true,
};

export async function startSigV4Harness(): Promise<SigV4Harness> {
  const credentials = { accessKeyId: TEST_PRINCIPAL.accessKeyId, secretAccessKey: 'clary/test+secret/0123456789abcdefghijklmn' };
  const keys: KeyResolver = {
    async resolve(id) {
      return id === credentials.accessKeyId ? { secretAccessKey: credentials.secretAccessKey, principal: TEST_PRINCIPAL } : undefined;
    },
  };
  const outcomes: Outcome[] = [];
  const waiters: (() => void)[] = [];
  const record = (o: Outcome) => {
    outcomes.push(o);
    for (const w of waiters.splice(0)) w();
  };
  const state = { family: 's3' as AuthFamily, now: undefined as number | undefined };

  const server: Server = createServer((req, res) => {
    const raw = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    const url = new URL(req.url ?? '/', 'http://localhost');
    const family = state.family;
    const run = async (): Promise<Outcome> => {
      let buffered: Buffer | undefined;
      if (family !== 's3') {
        const parts: Buffer[] = [];
        for await (const c of req as AsyncIterable<Buffer>) parts.push(c);
        buffered = Buffer.concat(parts);
      }
      const auth = await authenticate(req, url, {
        keys,
        family,
        now: state.now ?? Date.now(),
        clockSkewSeconds: 900,
        bodySha256: buffered && createHash('sha256').update(buffered).digest('hex'),
      });
      if (buffered) return { raw, auth, body: buffered };
      const stream = openPayload(req, auth);
      const parts: Buffer[] = [];
      for await (const c of stream as AsyncIterable<Buffer>) parts.push(c);
      return { raw, auth, body: Buffer.concat(parts), checksums: { ...stream.checksums } };
    };
    run()
      .then((o) => {
        record(o);
        res.writeHead(200, { 'content-type': family === 'json' ? 'application/x-amz-json-1.1' : 'text/plain' });
        res.end(family === 'json' || family === 'rest-json' ? '{}' : '');
      })
      .catch((e: unknown) => {
        if (!isServiceError(e)) {
          record({ raw });
          res.writeHead(599).end(String(e));
          return;
        }
        record({ raw, error: e });
        if (!req.complete) req.resume();
        if (!res.destroyed) res.writeHead(e.status, { 'content-type': 'text/plain' }).end(`${e.code}: ${e.message}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    credentials,
    get family() {
      return state.family;
    },
    set family(f) {
      state.family = f;
    },
    get now() {
      return state.now;
    },
    set now(n) {
      state.now = n;
    },
    outcomes,
    last() {
      const o = outcomes.at(-1);
      if (!o) throw new Error('no request reached the harness');
      return o;
    },
    waitFor(count) {
      return new Promise((resolve) => {
        const check = () => (outcomes.length >= count ? resolve(outcomes[count - 1]!) : waiters.push(check));
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

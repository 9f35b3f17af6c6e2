/**
 * A minimal RFC 6455 client for the tests (Node 20 has no WebSocket client built in and Clary
 * takes no `ws` dependency): handshake with a Cookie header, masked text frames out, text frames
 * in (unfragmented, as Jupyter sends them). Real sockets, real frames.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface TestSocket {
  send(text: string): void;
  /** Resolves with the next message that `match` accepts. */
  next(match: (msg: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function openWebSocket(url: string, headers: Record<string, string>): Promise<TestSocket | { status: number }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET',
      headers: { ...headers, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => resolve(wrap(socket, head)));
    req.on('error', reject);
    req.end();
  });
}

function wrap(socket: Socket, head: Buffer): TestSocket {
  let buf = head;
  const messages: string[] = [];
  const waiters: { match: (m: string) => boolean; resolve: (m: string) => void }[] = [];
  const deliver = () => {
    for (let i = 0; i < messages.length; i++) {
      const w = waiters.findIndex((x) => x.match(messages[i]!));
      if (w >= 0) {
        waiters.splice(w, 1)[0]!.resolve(messages.splice(i, 1)[0]!);
        i--;
      }
    }
  };
  const parse = () => {
    for (;;) {
      if (buf.length < 2) return;
      const op = buf[0]! & 0x0f;
      let len = buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (buf.length < off + len) return;
      const payload = buf.subarray(off, off + len);
      buf = buf.subarray(off + len);
      if (op === 1) messages.push(payload.toString('utf8'));
      if (op === 9) frame(0x0a, payload);
    }
  };
  const frame = (op: number, payload: Buffer) => {
    const mask = randomBytes(4);
    const len = payload.length;
    const header = len < 126 ? Buffer.from([0x80 | op, 0x80 | len]) : len < 65536 ? Buffer.from([0x80 | op, 0x80 | 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([0x80 | op, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    socket.write(Buffer.concat([header, mask, masked]));
  };
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    parse();
    deliver();
  });
  socket.on('error', () => undefined);
  parse();
  return {
    send: (text) => frame(1, Buffer.from(text, 'utf8')),
    next: (match, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching WebSocket message')), timeoutMs);
        waiters.push({ match, resolve: (m) => { clearTimeout(t); resolve(m); } });
        deliver();
      }),
    close: () => {
      frame(8, Buffer.alloc(0));
      socket.end();
    },
  };
}

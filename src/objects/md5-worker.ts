import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * MD5 off the main thread. An object's ETag is the MD5 of its bytes, and MD5 is the costliest
 * per-byte step of a PUT (about 2 s per GiB on one core here, more than receiving the bytes):
 * hashed on the event loop it caps a large upload, and stalls every other request meanwhile.
 * Large bodies are hashed by a small pool of worker threads instead, batch by batch, in order,
 * straight from shared memory (no copy), while the event loop goes on receiving and writing.
 *
 * The worker is inline CommonJS (eval) so it runs the same from src/ (tsx, vitest) and dist/.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('md5')));
    h.update(new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id, seq: m.seq });
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    const d = h.digest();
    parentPort.postMessage({ id: m.id, seq: m.seq, digest: d.buffer.slice(d.byteOffset, d.byteOffset + d.length) });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

interface Pending {
  resolve(v: ArrayBuffer | undefined): void;
  reject(e: Error): void;
}

class HashWorker {
  private worker: Worker | undefined;
  /** Keyed `${id}:${seq}`; answers come back in the order asked, per id. */
  private readonly pending = new Map<string, Pending>();
  private busy = 0;

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, name: 'clary-md5' });
    w.unref();
    w.on('message', (m: { id: number; seq: number; digest?: ArrayBuffer }) => {
      const key = `${m.id}:${m.seq}`;
      const p = this.pending.get(key);
      if (!p) return;
      this.pending.delete(key);
      this.settle();
      p.resolve(m.digest);
    });
    const fail = (e: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const all = [...this.pending.values()];
      this.pending.clear();
      this.busy = 0;
      w.unref();
      for (const p of all) p.reject(e);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the MD5 worker thread exited (${code})`)));
    this.worker = w;
    return w;
  }

  private settle(): void {
    if (--this.busy === 0) this.worker?.unref();
  }

  load(): number {
    return this.busy;
  }

  ask(msg: { op: 'update' | 'digest'; id: number; seq: number; buffer?: SharedArrayBuffer; offset?: number; length?: number }): Promise<ArrayBuffer | undefined> {
    const w = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending.set(`${msg.id}:${msg.seq}`, { resolve, reject });
      // Keep the process alive while a hash is owed; idle workers never hold it open.
      if (this.busy++ === 0) w.ref();
      w.postMessage(msg);
    });
  }

  drop(id: number): void {
    this.worker?.postMessage({ op: 'drop', id });
  }
}

const POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
const pool: HashWorker[] = [];
let nextId = 1;

function pickWorker(): HashWorker {
  if (pool.length < POOL_SIZE) {
    const w = new HashWorker();
    pool.push(w);
    return w;
  }
  return pool.reduce((a, b) => (b.load() < a.load() ? b : a));
}

/**
 * One running MD5 computed by a pool worker. `update` takes a view of a SharedArrayBuffer and
 * resolves once the worker has hashed it (the caller may then reuse that memory); updates are
 * hashed in the order they were made.
 */
export class WorkerMd5 {
  private readonly worker = pickWorker();
  private readonly id = nextId++;
  private seq = 0;
  private done = false;

  update(view: Buffer): Promise<void> {
    if (!(view.buffer instanceof SharedArrayBuffer)) throw new TypeError('WorkerMd5.update needs a view of a SharedArrayBuffer');
    return this.worker.ask({ op: 'update', id: this.id, seq: this.seq++, buffer: view.buffer, offset: view.byteOffset, length: view.length }).then(() => undefined);
  }

  async digest(): Promise<Buffer> {
    this.done = true;
    const d = await this.worker.ask({ op: 'digest', id: this.id, seq: this.seq++ });
    return Buffer.from(d!);
  }

  /** Forgets the running hash (the write failed). */
  discard(): void {
    if (this.done) return;
    this.done = true;
    this.worker.drop(this.id);
  }
}

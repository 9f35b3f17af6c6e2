import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** One proxied request: who did what in which space. */
export interface AuditEntry {
  readonly time: string;
  readonly domainId: string;
  /** "space:<name>" or "user:<name>". */
  readonly owner: string;
  readonly user: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** "http" or "websocket". */
  readonly kind: string;
}

/**
 * The Studio audit log: JSON lines appended to <dataDir>/audit/studio.jsonl (mode 0600), one per
 * request the proxy answers (refusals included). Paths are logged without their query string
 * (it may hold a token).
 */
export class AuditLog {
  private readonly out: WriteStream;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.out = createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.out.on('error', () => undefined);
  }

  record(e: Omit<AuditEntry, 'time'>): void {
    this.out.write(`${JSON.stringify({ time: new Date().toISOString(), ...e, path: e.path.split('?')[0] })}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(() => resolve()));
  }
}

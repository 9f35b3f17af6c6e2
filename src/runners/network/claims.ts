import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Who holds a /24: the Clary (by its data dir) and its network (a training job's name …). */
export interface ClaimRecord {
  readonly owner: string;
  readonly network: string;
  readonly createdAt: number;
}

/**
 * Machine-wide claims on /24s: one file per subnet, created with O_EXCL, so two Clarys on one
 * machine (tests start many) never take the same subnet. They live under /run by default, a tmpfs
 * cleared at boot just like the bridges and namespaces they account for.
 */
export class SubnetClaims {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** Takes the subnet; false when someone holds it already. */
  async claim(key: string, record: ClaimRecord): Promise<boolean> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      await writeFile(this.path(key), JSON.stringify(record) + '\n', { flag: 'wx', mode: 0o600 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  async read(key: string): Promise<ClaimRecord | undefined> {
    try {
      const r = JSON.parse(await readFile(this.path(key), 'utf8')) as Partial<ClaimRecord>;
      return typeof r.owner === 'string' && typeof r.network === 'string' ? (r as ClaimRecord) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Every claim. One without a readable record (being written this instant, or cut short by a
   * crash) reads as owned by '' once it is a minute old, and by '?' (nobody may sweep it) before.
   */
  async list(): Promise<{ key: string; record: ClaimRecord }[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: { key: string; record: ClaimRecord }[] = [];
    for (const n of names) {
      const m = /^([0-9a-f]{6})\.json$/.exec(n);
      if (!m) continue;
      const record = await this.read(m[1]!);
      if (record) out.push({ key: m[1]!, record });
      else {
        const mtime = await stat(this.path(m[1]!)).then((s) => s.mtimeMs, () => 0);
        out.push({ key: m[1]!, record: { owner: Date.now() - mtime > 60_000 ? '' : '?', network: '', createdAt: mtime } });
      }
    }
    return out;
  }

  async release(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

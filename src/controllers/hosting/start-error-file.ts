import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the container runner writes why an image could not run `serve` (ContainerInstanceSpec
 * .startErrorFile): a private temporary directory per instance, read when the server exits
 * before it became healthy, removed when the instance stops.
 */
export class StartErrorFile {
  private dir: string | undefined;

  async path(): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'clary-serve-'));
    return join(this.dir, 'failure');
  }

  /** What the runner wrote, if anything. */
  async read(): Promise<string | undefined> {
    if (!this.dir) return undefined;
    const text = await readFile(join(this.dir, 'failure'), 'utf8').catch(() => '');
    return text.trim() || undefined;
  }

  async remove(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

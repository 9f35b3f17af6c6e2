import { readdir } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { Pack } from 'tar';
import type { ObjectStore } from '../../objects/object-store.js';
import { confinedTo } from './confined-path.js';
import { parseS3Uri } from './s3-uri.js';

/**
 * Packs a directory as SageMaker does (/opt/ml/model → model.tar.gz, /opt/ml/output/data →
 * output.tar.gz: entries relative to the directory, gzip) and streams it into the object store.
 * With `root`, a directory that is not really below it (the job replaced it with a link) packs as empty.
 */
export async function uploadDirectoryTarGz(objects: ObjectStore, dir: string, s3Uri: string, signal?: AbortSignal, root?: string): Promise<{ bytes: number }> {
  const dest = parseS3Uri(s3Uri);
  if (!dest) throw new Error(`${s3Uri} is not an s3:// URI`);
  const confined = root === undefined || (await confinedTo(root, dir));
  const entries = confined ? (await readdir(dir).catch(() => [] as string[])).sort() : [];
  const body = new PassThrough();
  // An empty directory still gives a valid (empty) archive, as SageMaker uploads one.
  const packer = new Pack({ gzip: true, cwd: dir, portable: true });
  packer.on('error', (e: unknown) => body.destroy(e as Error));
  packer.pipe(body);
  for (const e of entries) packer.add(e);
  packer.end();
  const info = await objects.putObject(dest.bucket, dest.key, body, { contentType: 'application/x-tar', signal });
  return { bytes: info.size };
}

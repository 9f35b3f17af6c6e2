import { mkdir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar';
import type { ObjectStore } from '../../objects/object-store.js';
import { parseS3Uri } from './s3-uri.js';

/**
 * Script mode's code: when `sagemaker_submit_directory` names an s3:// sourcedir.tar.gz in Clary's
 * store, Clary unpacks it into /opt/ml/code before the instance starts (the toolkit then finds the
 * code in place and downloads nothing). Anything else is left to the toolkit.
 */
export function submitDirectory(hyperParameters: Record<string, string> | undefined): string | undefined {
  const raw = hyperParameters?.sagemaker_submit_directory;
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === 'string' ? v : raw;
  } catch {
    return raw;
  }
}

export async function stageSourceDir(objects: ObjectStore, uri: string, codeDir: string, signal?: AbortSignal): Promise<boolean> {
  const s3 = parseS3Uri(uri);
  if (!s3 || !uri.endsWith('.tar.gz')) return false;
  const got = await objects.getObject(s3.bucket, s3.key);
  await mkdir(codeDir, { recursive: true });
  // tar refuses entries that would land outside cwd (absolute paths, "..").
  await pipeline(got.body, extract({ cwd: codeDir, strict: true }), { signal });
  return true;
}

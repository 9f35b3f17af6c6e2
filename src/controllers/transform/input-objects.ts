import type { ObjectStore } from '../../objects/object-store.js';
import { parseS3Uri } from '../training/s3-uri.js';

export interface InputObject {
  bucket: string;
  key: string;
  /** The key relative to the input prefix (or the manifest's prefix): the output is `<S3OutputPath>/<rel>.out`. */
  rel: string;
}

export class InputError extends Error {}

/**
 * The objects a job transforms. S3Prefix: every object under the prefix, in key order, each named
 * relative to the prefix's last "/" (s3://b/in/part → in/part-1.csv is "part-1.csv"); ManifestFile:
 * the JSON manifest `[{"prefix": "s3://b/p/"}, "rel1", …]`.
 */
export async function listInputObjects(objects: ObjectStore, dataType: string, uri: string): Promise<InputObject[]> {
  const loc = parseS3Uri(uri);
  if (!loc) throw new InputError(`${uri} is not an s3:// URI`);
  if (dataType === 'ManifestFile') return fromManifest(objects, loc.bucket, loc.key, uri);
  const base = loc.key.slice(0, loc.key.lastIndexOf('/') + 1);
  const out: InputObject[] = [];
  let startAfter: string | undefined;
  for (;;) {
    const page = await objects.listObjects(loc.bucket, { prefix: loc.key, startAfter, maxKeys: 1000 }).catch((e: Error) => {
      throw new InputError(`cannot list ${uri}: ${e.message}`);
    });
    for (const o of page.objects) if (!o.key.endsWith('/')) out.push({ bucket: loc.bucket, key: o.key, rel: o.key.slice(base.length) });
    if (!page.isTruncated || !page.nextMarker) break;
    startAfter = page.nextMarker;
  }
  if (out.length === 0) throw new InputError(`No S3 objects found under S3 URL "${uri}" given in input data source. Please ensure that the bucket exists in the selected region, and that objects exist under that S3 prefix.`);
  return out;
}

async function fromManifest(objects: ObjectStore, bucket: string, key: string, uri: string): Promise<InputObject[]> {
  let entries: unknown;
  try {
    entries = JSON.parse((await readAll(objects, bucket, key)).toString('utf8'));
  } catch (e) {
    throw new InputError(`cannot read the manifest file ${uri}: ${(e as Error).message}`);
  }
  const head = Array.isArray(entries) ? (entries[0] as { prefix?: unknown } | undefined) : undefined;
  const prefix = typeof head?.prefix === 'string' ? parseS3Uri(head.prefix) : undefined;
  if (!Array.isArray(entries) || !prefix) throw new InputError(`the manifest file ${uri} must be a JSON array starting with {"prefix": "s3://…"}`);
  const rels = entries.slice(1);
  if (rels.length === 0 || rels.some((r) => typeof r !== 'string' || r === '')) throw new InputError(`the manifest file ${uri} must list object keys relative to its prefix`);
  return (rels as string[]).map((rel) => ({ bucket: prefix.bucket, key: prefix.key + rel, rel }));
}

export async function readAll(objects: ObjectStore, bucket: string, key: string): Promise<Buffer> {
  const { body } = await objects.getObject(bucket, key);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

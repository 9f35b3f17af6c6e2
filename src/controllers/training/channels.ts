import { createWriteStream } from 'node:fs';
import { link, mkdir } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../../objects/object-store.js';
import type { Channel as ChannelDoc } from '../../generated/types/sagemaker.js';
import { parseS3Uri } from './s3-uri.js';

/**
 * Puts a channel's objects into /opt/ml/input/data/<channel>. File mode copies; FastFile links the
 * embedded store's immutable blobs into place (no bytes copied: time independent of size) and
 * falls back to copying when the bytes are elsewhere. ShardedByS3Key gives host i every N-th object.
 */
export class ChannelError extends Error {}

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** Path below the channel directory. */
  readonly relative: string;
}

async function listPrefix(objects: ObjectStore, bucket: string, prefix: string): Promise<ObjectRef[]> {
  const out: ObjectRef[] = [];
  let startAfter: string | undefined;
  for (;;) {
    const page = await objects.listObjects(bucket, { prefix, startAfter, maxKeys: 1000 });
    for (const o of page.objects) {
      if (o.key.endsWith('/')) continue;
      const rest = o.key.slice(prefix.length).replace(/^\/+/, '');
      out.push({ bucket, key: o.key, relative: rest === '' ? o.key.split('/').pop()! : rest });
    }
    if (!page.isTruncated || !page.nextMarker) return out;
    startAfter = page.nextMarker;
  }
}

async function readManifest(objects: ObjectStore, bucket: string, key: string): Promise<ObjectRef[]> {
  const got = await objects.getObject(bucket, key);
  const chunks: Buffer[] = [];
  for await (const c of got.body as AsyncIterable<Buffer>) chunks.push(c);
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ChannelError(`The manifest file s3://${bucket}/${key} is not valid JSON.`);
  }
  if (!Array.isArray(manifest) || typeof (manifest[0] as { prefix?: unknown })?.prefix !== 'string') {
    throw new ChannelError(`The manifest file s3://${bucket}/${key} must be a JSON list starting with {"prefix": "s3://…/"}.`);
  }
  const base = parseS3Uri((manifest[0] as { prefix: string }).prefix);
  if (!base) throw new ChannelError(`The manifest prefix ${(manifest[0] as { prefix: string }).prefix} is not an s3:// URI.`);
  return manifest.slice(1).map((rel) => {
    if (typeof rel !== 'string') throw new ChannelError(`The manifest file s3://${bucket}/${key} lists a non-string entry.`);
    return { bucket: base.bucket, key: base.key + rel, relative: rel };
  });
}

/** A relative path that cannot leave the channel directory. */
function safeRelative(rel: string): string {
  const n = normalize(rel).replace(/^(\.\.(\/|\\|$))+/, '');
  if (n.startsWith('..') || n.startsWith(sep) || n === '' || n === '.') return rel.replace(/[/\\]/g, '_') || 'object';
  return n;
}

/**
 * The objects a channel gives one host, in key order (a manifest's in its own order): the prefix's
 * listing or the manifest's entries; with ShardedByS3Key, host i of N gets every N-th.
 */
export async function channelObjects(objects: ObjectStore, channel: ChannelDoc, host: { index: number; count: number }): Promise<ObjectRef[]> {
  const source = channel.DataSource.S3DataSource;
  if (!source) throw new ChannelError(`Channel ${channel.ChannelName}: only S3 data sources are supported by Clary.`);
  const uri = parseS3Uri(source.S3Uri);
  if (!uri) throw new ChannelError(`Channel ${channel.ChannelName}: ${source.S3Uri} is not an s3:// URI.`);
  let refs: ObjectRef[];
  try {
    refs = source.S3DataType === 'ManifestFile' ? await readManifest(objects, uri.bucket, uri.key) : await listPrefix(objects, uri.bucket, uri.key);
  } catch (e) {
    if (e instanceof ChannelError) throw e;
    throw new ChannelError(`Channel ${channel.ChannelName}: cannot read ${source.S3Uri}: ${(e as Error).message}`);
  }
  if (refs.length === 0) throw new ChannelError(`No S3 objects found under S3 URL "${source.S3Uri}" given in input data source of channel ${channel.ChannelName}. Please ensure that the bucket exists in the selected region, that objects exist under that S3 prefix, and that the role has permission to read them.`);
  if (source.S3DataDistributionType === 'ShardedByS3Key' && host.count > 1) refs = refs.filter((_, i) => i % host.count === host.index);
  return refs;
}

export async function stageChannel(
  objects: ObjectStore,
  channel: ChannelDoc,
  mode: string,
  target: string,
  host: { index: number; count: number },
  signal?: AbortSignal,
): Promise<{ files: number; bytes: number }> {
  const refs = await channelObjects(objects, channel, host);
  await mkdir(target, { recursive: true });
  let bytes = 0;
  for (const ref of refs) {
    signal?.throwIfAborted();
    const dest = join(target, safeRelative(ref.relative));
    await mkdir(dirname(dest), { recursive: true });
    if (mode === 'FastFile' && objects.localPath) {
      const blob = await objects.localPath(ref.bucket, ref.key);
      if (blob) {
        try {
          await link(blob, dest);
          continue;
        } catch {
          /* another filesystem: copy instead */
        }
      }
    }
    // An object a manifest names but S3 does not have (or one deleted since the listing) is the caller's.
    const got = await objects.getObject(ref.bucket, ref.key).catch((e: unknown) => {
      throw new ChannelError(`Channel ${channel.ChannelName}: cannot read s3://${ref.bucket}/${ref.key}: ${(e as Error).message}`);
    });
    bytes += got.info.size;
    await pipeline(got.body, createWriteStream(dest, { mode: 0o644 }), { signal });
  }
  return { files: refs.length, bytes };
}

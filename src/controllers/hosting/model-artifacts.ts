import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar';
import type { ObjectStore } from '../../objects/object-store.js';
import type { ContainerDefinition } from '../../generated/types/sagemaker.js';
import { parseS3Uri } from '../training/s3-uri.js';
import { stageSourceDir } from '../training/source-dir.js';

/** The model data could not be fetched or unpacked: the endpoint fails with this reason. */
export class ModelDataError extends Error {}

const READY = '.clary-ready';

/**
 * A model's /opt/ml/model on this machine: ModelDataUrl (a .tar.gz; ModelDataSource S3Object/Gzip
 * alike) is downloaded and extracted once per model into `<modelsDir>/<model>-<created>/model`, an
 * S3Prefix/None source is copied as is; every instance of every endpoint using the model mounts it
 * read-only. An s3:// SAGEMAKER_SUBMIT_DIRECTORY (sourcedir.tar.gz) is unpacked beside it, into
 * `…/code`. Entries that would land outside the directory (absolute, "..") fail the extraction.
 */
export class ModelArtifacts {
  private readonly inFlight = new Map<string, Promise<{ modelDir: string; codeDir?: string }>>();

  constructor(private readonly objects: ObjectStore, private readonly modelsDir: string) {}

  prepare(modelName: string, creationTime: number, container: ContainerDefinition): Promise<{ modelDir: string; codeDir?: string }> {
    const root = join(this.modelsDir, `${modelName}-${creationTime}`);
    let p = this.inFlight.get(root);
    if (!p) {
      p = this.materialize(root, container).finally(() => this.inFlight.delete(root));
      this.inFlight.set(root, p);
    }
    return p;
  }

  private async materialize(root: string, container: ContainerDefinition): Promise<{ modelDir: string; codeDir?: string }> {
    const submit = container.Environment?.SAGEMAKER_SUBMIT_DIRECTORY;
    const wantsCode = submit?.startsWith('s3://') === true;
    const result = { modelDir: join(root, 'model'), codeDir: wantsCode ? join(root, 'code') : undefined };
    if (await exists(join(root, READY))) return result;
    const tmp = `${root}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await mkdir(join(tmp, 'model'), { recursive: true });
      await this.fetchModel(container, join(tmp, 'model'));
      if (wantsCode) {
        try {
          await stageSourceDir(this.objects, submit!, join(tmp, 'code'));
        } catch (e) {
          throw new ModelDataError(`Failed to download the inference code from SAGEMAKER_SUBMIT_DIRECTORY "${submit}": ${(e as Error).message}`);
        }
      }
      await writeFile(join(tmp, READY), '');
      await rm(root, { recursive: true, force: true });
      await mkdir(dirname(root), { recursive: true });
      await rename(tmp, root);
      return result;
    } finally {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async fetchModel(container: ContainerDefinition, dir: string): Promise<void> {
    const s3 = container.ModelDataSource?.S3DataSource;
    const url = container.ModelDataUrl ?? s3?.S3Uri;
    if (!url) return; // a model without artifacts: /opt/ml/model is empty
    const loc = parseS3Uri(url);
    if (!loc) throw new ModelDataError(`Could not access model data at ${url}: not an s3:// URI.`);
    if (s3?.S3DataType === 'S3Prefix') return this.copyPrefix(loc.bucket, loc.key, dir, url);
    let body;
    try {
      body = (await this.objects.getObject(loc.bucket, loc.key)).body;
    } catch (e) {
      throw new ModelDataError(
        `Failed to download model data for container "container_1" from URL: "${url}". Please ensure that there is an object located at the URL and that the role passed to CreateModel has permissions to download the object. (${(e as Error).message})`,
      );
    }
    try {
      await pipeline(body, createGunzip(), extract({ cwd: dir, strict: true }));
    } catch (e) {
      throw new ModelDataError(`Failed to extract model data archive from URL "${url}". Please ensure that the object located at the URL is a valid tar.gz archive. (${(e as Error).message})`);
    }
  }

  private async copyPrefix(bucket: string, prefix: string, dir: string, url: string): Promise<void> {
    let startAfter: string | undefined;
    let n = 0;
    for (;;) {
      let page;
      try {
        page = await this.objects.listObjects(bucket, { prefix, startAfter, maxKeys: 1000 });
      } catch (e) {
        throw new ModelDataError(`Failed to download model data from "${url}": ${(e as Error).message}`);
      }
      for (const o of page.objects) {
        const rel = o.key.slice(prefix.length).replace(/^\/+/, '');
        if (!rel || rel.endsWith('/')) continue;
        if (rel.split('/').some((p) => p === '..' || p === '.' || p === '')) throw new ModelDataError(`Model data key ${o.key} would land outside /opt/ml/model.`);
        const target = join(dir, rel);
        await mkdir(dirname(target), { recursive: true });
        const got = await this.objects.getObject(bucket, o.key);
        await pipeline(got.body, createWriteStream(target));
        n++;
      }
      if (!page.isTruncated || !page.nextMarker) break;
      startAfter = page.nextMarker;
    }
    if (n === 0) throw new ModelDataError(`No model data found under "${url}".`);
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

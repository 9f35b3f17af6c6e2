import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type Docker from 'dockerode';

export interface BuildOptions {
  /** Directory holding the Containerfile/Dockerfile and what it copies. */
  readonly context: string;
  /** Name:tag to give the image, e.g. `my-trainer:1` (find it again as `<account>.dkr.ecr.<region>.amazonaws.com/my-trainer:1`). */
  readonly tag: string;
  /** Build file inside the context (default: Containerfile, else Dockerfile). */
  readonly file?: string;
  /** Each line of the engine's build output. */
  readonly onOutput?: (line: string) => void;
  /** `--build-arg` values. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Which files of the context to send (relative paths; default all). */
  readonly include?: (path: string) => boolean;
}

async function filesUnder(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(root, p)));
    else out.push(relative(root, p));
  }
  return out;
}

/**
 * `clary images build`: builds an image through the engine's build endpoint (Podman runs
 * buildah; Docker BuildKit or its classic builder). The FROM image must be local — no registry
 * is reachable here: start from one made with `podman import` or `podman load`.
 */
export async function buildImage(docker: Docker, options: BuildOptions): Promise<string> {
  const all = await filesUnder(options.context);
  const file = options.file ?? (all.includes('Containerfile') ? 'Containerfile' : 'Dockerfile');
  if (!all.includes(file)) throw new Error(`no ${file} in ${options.context}`);
  const src = options.include ? all.filter((p) => p === file || options.include!(p)) : all;
  const stream = await docker.buildImage({ context: options.context, src }, { t: options.tag, dockerfile: file, rm: true, ...(options.buildArgs ? { buildargs: options.buildArgs } : {}) });
  const events = await new Promise<{ stream?: string; error?: string; errorDetail?: { message?: string }; aux?: { ID?: string } }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res as never)), (e: { stream?: string }) => {
      for (const line of (e.stream ?? '').split('\n')) if (line.trim()) options.onOutput?.(line);
    }),
  );
  const failed = events.find((e) => e.error || e.errorDetail);
  if (failed) throw new Error(`build of ${options.tag} failed: ${failed.errorDetail?.message ?? failed.error}`);
  const id = [...events].reverse().find((e) => e.aux?.ID)?.aux?.ID ?? (await docker.getImage(options.tag).inspect()).Id;
  return id;
}

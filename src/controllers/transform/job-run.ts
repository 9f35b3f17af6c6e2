import { Readable } from 'node:stream';
import { MODEL_KIND, servingContainer, type ModelDoc } from '../../services/sagemaker/models-doc.js';
import { TRANSFORM_JOB_KIND, TRANSFORM_TERMINAL, type TransformJobDoc } from '../../services/sagemaker/transform-jobs-doc.js';
import { joinKey, parseS3Uri } from '../training/s3-uri.js';
import { InputError, listInputObjects, readAll, type InputObject } from './input-objects.js';
import { finishJob, updateTransformJob } from './job-store.js';
import { executionParameters } from './model-client.js';
import { JobFailure, transformObject, type EffectiveParameters } from './object-transform.js';
import { InstanceStartError, TransformInstance } from './transform-instance.js';
import type { TransformDeps } from './transform-deps.js';

/** Runs a job that Clary restarts interrupted at most this many times, then fails it. */
export const MAX_ATTEMPTS = 3;

/**
 * One transform job from InProgress to its end: the model's servers (InstanceCount of them),
 * /execution-parameters, every input object through one of them (round robin), the outputs, the
 * final status. Nothing is resumed: a Clary that stops mid-job leaves it InProgress and the next
 * one runs it again from the start (outputs are overwritten, so this is idempotent).
 */
export class TransformJobRun {
  private readonly abort = new AbortController();
  private stopRequested = false;
  private detached = false;
  private instances: TransformInstance[] = [];

  constructor(private readonly deps: TransformDeps, private readonly name: string) {}

  requestStop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.abort.abort(new Error('stopped'));
  }

  /** Clary is shutting down: stop the instances, leave the job InProgress for the next Clary. */
  detach(): void {
    this.detached = true;
    this.abort.abort(new Error('Clary is shutting down'));
  }

  private update(mutate: (d: TransformJobDoc) => TransformJobDoc | undefined): Promise<TransformJobDoc | undefined> {
    return updateTransformJob(this.deps.platform.store, this.name, mutate, this.deps.platform.now());
  }

  async run(): Promise<void> {
    const { platform } = this.deps;
    const rec = await platform.store.getResource<TransformJobDoc>(TRANSFORM_JOB_KIND, this.name);
    if (!rec || TRANSFORM_TERMINAL.has(rec.doc.TransformJobStatus)) return;
    if (rec.doc.TransformJobStatus === 'Stopping') {
      await this.update((d) => finishJob(d, 'Stopped', platform.now()));
      return;
    }
    const attempts = (rec.doc._clary?.attempts ?? 0) + 1;
    if (attempts > MAX_ATTEMPTS) {
      await this.update((d) => finishJob(d, 'Failed', platform.now(), `InternalServerError: the job was interrupted by ${MAX_ATTEMPTS} restarts of Clary; create it again.`));
      return;
    }
    const started = await this.update((d) => ({ ...d, TransformStartTime: d.TransformStartTime ?? platform.now(), _clary: { ...d._clary, attempts } }));
    if (!started) return;
    let outcome: { status: 'Completed' | 'Failed' | 'Stopped'; reason?: string } | undefined;
    try {
      await this.transform(started);
      outcome = { status: 'Completed' };
    } catch (e) {
      if (this.detached) outcome = undefined;
      else if (this.stopRequested) outcome = { status: 'Stopped' };
      else if (e instanceof JobFailure || e instanceof InstanceStartError) outcome = { status: 'Failed', reason: e.message };
      else {
        platform.log.error({ err: e, transformJob: this.name }, 'transform job crashed');
        outcome = { status: 'Failed', reason: `InternalServerError: ${(e as Error).message}` };
      }
    } finally {
      await Promise.all(this.instances.map((i) => i.stop(this.detached ? 1000 : undefined)));
    }
    if (outcome && !(this.stopRequested && outcome.status === 'Completed')) {
      const { status, reason } = outcome;
      await this.update((d) => finishJob(d, status, platform.now(), reason));
    } else if (outcome) {
      await this.update((d) => finishJob(d, 'Stopped', platform.now()));
    }
  }

  private async transform(job: TransformJobDoc): Promise<void> {
    const { platform } = this.deps;
    const signal = this.abort.signal;
    const modelRec = await platform.store.getResource<ModelDoc>(MODEL_KIND, job.ModelName);
    const container = modelRec && servingContainer(modelRec.doc);
    if (!modelRec || !container) throw new JobFailure(`ClientError: Could not find model "${job.ModelName}".`);
    const src = job.TransformInput.DataSource.S3DataSource;
    let objects: InputObject[];
    try {
      objects = await listInputObjects(platform.objects, src.S3DataType, src.S3Uri);
    } catch (e) {
      if (e instanceof InputError) throw new JobFailure(`ClientError: ${e.message}`);
      throw e;
    }
    signal.throwIfAborted();
    const model = { name: job.ModelName, container, enableNetworkIsolation: modelRec.doc.EnableNetworkIsolation === true, creationTime: modelRec.doc.CreationTime };
    const { InstanceType, InstanceCount } = job.TransformResources;
    this.instances = Array.from({ length: InstanceCount }, () => new TransformInstance(this.deps, { name: job.TransformJobName, arn: job.TransformJobArn, instanceType: InstanceType, environment: job.Environment }, model, signal));
    await Promise.all(this.instances.map((i) => i.start()));
    const fromServer = await executionParameters(this.instances[0]!.port);
    const params: EffectiveParameters = {
      maxConcurrent: job.MaxConcurrentTransforms ?? fromServer.MaxConcurrentTransforms ?? 1,
      strategy: job.BatchStrategy ?? fromServer.BatchStrategy ?? 'MultiRecord',
      maxPayloadMB: job.MaxPayloadInMB ?? fromServer.MaxPayloadInMB ?? 6,
    };
    platform.log.info({ transformJob: job.TransformJobName, objects: objects.length, ...params }, 'transform job running');
    const out = parseS3Uri(job.TransformOutput.S3OutputPath)!;
    // A failure on one instance ends the work of all of them.
    const work = new AbortController();
    const onAbort = () => work.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(
        this.instances.map(async (instance, n) => {
          try {
            for (let k = n; k < objects.length; k += this.instances.length) {
              work.signal.throwIfAborted();
              const o = objects[k]!;
              const source = `s3://${o.bucket}/${o.key}`;
              instance.log(`Transforming ${source}`);
              const body = await readAll(platform.objects, o.bucket, o.key).catch((e: Error) => {
                throw new JobFailure(`ClientError: cannot read ${source}: ${e.message}`);
              });
              const result = await transformObject(job, source, body, instance, params, work.signal);
              const key = joinKey(out.key, `${o.rel}.out`);
              instance.log(`Writing s3://${out.bucket}/${key}`);
              await platform.objects.putObject(out.bucket, key, Readable.from([result]), { contentLength: result.length }).catch((e: Error) => {
                throw new JobFailure(`ClientError: cannot write the output s3://${out.bucket}/${key}: ${e.message}`);
              });
            }
          } catch (e) {
            work.abort(e);
            throw e;
          }
        }),
      );
    } catch (e) {
      signal.throwIfAborted();
      throw work.signal.reason instanceof Error ? work.signal.reason : e;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

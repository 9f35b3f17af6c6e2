import { gunzipSync } from 'node:zlib';
import type { TransformJobDoc } from '../../services/sagemaker/transform-jobs-doc.js';
import { makeBatches, PayloadTooLargeError, type Batch } from './batches.js';
import { DataProcessingError, formatOf, RecordProcessor } from './data-processing.js';
import { exchange } from './model-client.js';
import { RecordError, splitRecords, type SplitType } from './records.js';
import type { TransformInstance } from './transform-instance.js';

/** The job fails with this reason (SageMaker's FailureReason). */
export class JobFailure extends Error {}

export interface EffectiveParameters {
  maxConcurrent: number;
  strategy: 'SingleRecord' | 'MultiRecord';
  maxPayloadMB: number;
}

/**
 * One input object through one instance: decompress, split into records (records.ts), InputFilter,
 * batch (batches.ts), POST /invocations with at most `maxConcurrent` requests in flight, then the
 * join and OutputFilter per record and the assembly (AssembleWith Line: one output per line, in
 * record order). Returns the bytes of `<rel>.out`.
 */
export async function transformObject(
  job: TransformJobDoc,
  source: string,
  body: Buffer,
  instance: TransformInstance,
  params: EffectiveParameters,
  signal: AbortSignal,
): Promise<Buffer> {
  const input = job.TransformInput;
  if (input.CompressionType === 'Gzip') {
    try {
      body = gunzipSync(body);
    } catch (e) {
      throw new JobFailure(`ClientError: cannot decompress ${source} (CompressionType Gzip): ${(e as Error).message}`);
    }
  }
  const split = (input.SplitType ?? 'None') as SplitType;
  const accept = job.TransformOutput.Accept;
  const proc = new RecordProcessor(job.DataProcessing, formatOf(input.ContentType), formatOf(accept ?? input.ContentType));
  let records: Buffer[];
  let batches: Batch[];
  try {
    records = splitRecords(body, split);
    batches = makeBatches(records.map((r) => proc.filterInput(r)), split, params.strategy, params.maxPayloadMB);
  } catch (e) {
    if (e instanceof RecordError || e instanceof DataProcessingError || e instanceof PayloadTooLargeError) throw new JobFailure(`ClientError: ${source}: ${e.message}`);
    throw e;
  }

  const headers: Record<string, string> = {};
  if (input.ContentType) headers['content-type'] = input.ContentType;
  if (accept) headers.accept = accept;
  const timeoutMs = (job.ModelClientConfig?.InvocationsTimeoutInSeconds ?? 600) * 1000;
  const retries = job.ModelClientConfig?.InvocationsMaxRetries ?? 3;
  const results: Buffer[] = new Array(batches.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      signal.throwIfAborted();
      const i = next++;
      results[i] = await invoke(instance, batches[i]!, source, headers, timeoutMs, retries, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(params.maxConcurrent, batches.length) }, worker));

  const line = job.TransformOutput.AssembleWith === 'Line';
  if (proc.perRecordOutput) {
    const out: string[] = [];
    batches.forEach((b, i) => {
      const lines = results[i]!.toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''));
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      if (lines.length !== b.count) {
        throw new JobFailure(`ClientError: ${source}: the model returned ${lines.length} output lines for ${b.count} records; JoinSource and OutputFilter need one output line per input record.`);
      }
      try {
        lines.forEach((l, j) => out.push(proc.processOutput(records[b.first + j]!, l)));
      } catch (e) {
        if (e instanceof DataProcessingError) throw new JobFailure(`ClientError: ${source}: ${e.message}`);
        throw e;
      }
    });
    return Buffer.from(out.map((l) => (line ? `${l}\n` : l)).join(''));
  }
  if (!line) return Buffer.concat(results);
  return Buffer.concat(results.flatMap((r) => [r.length > 0 && r[r.length - 1] === 0x0a ? r.subarray(0, r.length - 1) : r, NEWLINE]));
}

const NEWLINE = Buffer.from('\n');

async function invoke(instance: TransformInstance, batch: Batch, source: string, headers: Record<string, string>, timeoutMs: number, retries: number, signal: AbortSignal): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await exchange(instance.port, 'POST', '/invocations', { body: batch.body, headers, timeoutMs, signal });
    } catch (e) {
      signal.throwIfAborted();
      if (attempt < retries) continue;
      instance.log(`Model server did not answer for ${source}: ${(e as Error).message}`);
      throw new JobFailure(`ClientError: the model server did not answer for records ${batch.first + 1}-${batch.first + batch.count} of ${source} after ${retries + 1} attempts: ${(e as Error).message}.${instance.tailText()}`);
    }
    if (res.status >= 200 && res.status < 300) return res.body;
    const message = res.body.toString('utf8').slice(0, 500);
    instance.log(`Bad HTTP status received from algorithm: ${res.status} for ${source}: ${message}`);
    throw new JobFailure(`AlgorithmError: the model answered ${res.status} for records ${batch.first + 1}-${batch.first + batch.count} of ${source}: ${message}. See job logs for more information.`);
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sagemakerArn } from '../../core/arn.js';
import { ServiceError } from '../../core/errors.js';
import { joinKey, parseS3Uri } from '../../controllers/training/s3-uri.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../sagemaker/endpoints-doc.js';
import type { Platform, RequestContext } from '../service.js';
import { ASYNC_INVOCATION_KIND, type AsyncInvocationDoc, type AsyncInvocationQueue } from './invoke-endpoint-async-worker.js';
import { endpointNotFound, endpointNotInService } from './runtime-errors.js';

/** SageMaker's limits (InvokeEndpointAsync): request TTL 60 s – 6 h (default 6 h), invocation timeout 1 – 3600 s (default 15 min), inline body 128,000 B. */
const TTL = { min: 60, max: 21_600, default: 21_600 };
const TIMEOUT = { min: 1, max: 3_600, default: 900 };
export const MAX_INLINE_BODY = 128_000;

const validation = (message: string) => new ServiceError('ValidationError', message, 400);

/** Unverified wording: SageMaker's exact message for a real-time endpoint called asynchronously is not recorded. */
export const notAsyncEndpoint = (name: string, account: string) =>
  validation(`Endpoint ${name} of account ${account} is not configured for asynchronous inference: its endpoint configuration has no AsyncInferenceConfig.`);

function header(req: IncomingMessage, h: string): string | undefined {
  const v = req.headers[h];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function seconds(req: IncomingMessage, h: string, member: string, range: { min: number; max: number; default: number }): number {
  const v = header(req, h);
  if (v === undefined) return range.default;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw validation(`1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Member must be an integer`);
  if (n < range.min) throw validation(`1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`);
  if (n > range.max) throw validation(`1 validation error detected: Value '${v}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`);
  return n;
}

/**
 * InvokeEndpointAsync (POST /endpoints/{name}/async-invocations): checks the endpoint (it must
 * serve and have AsyncInferenceConfig) and the input (an S3 object that exists, or an inline body
 * up to 128,000 B), queues the request in the metadata store and answers 202 with the InferenceId
 * and where the output (or the failure) will be written. The queue (invoke-endpoint-async-worker.ts)
 * runs it against the endpoint's instances in the background.
 */
export async function invokeEndpointAsync(platform: Platform, queue: AsyncInvocationQueue, name: string, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, body: Buffer): Promise<void> {
  const account = ctx.principal.accountId;
  const rec = await platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, name);
  if (!rec) throw endpointNotFound(name, account);
  const ep = rec.doc;
  if (ep.EndpointStatus !== 'InService' && ep.EndpointStatus !== 'Updating') throw endpointNotInService(name, account, ep.EndpointStatus);
  const asyncConfig = ep.AsyncInferenceConfig;
  if (!asyncConfig?.OutputConfig?.S3OutputPath) throw notAsyncEndpoint(name, account);

  const ttl = seconds(req, 'x-amzn-sagemaker-requestttlseconds', 'requestTTLSeconds', TTL);
  const timeout = seconds(req, 'x-amzn-sagemaker-invocationtimeoutseconds', 'invocationTimeoutSeconds', TIMEOUT);
  const inferenceId = header(req, 'x-amzn-sagemaker-inference-id');
  if (inferenceId !== undefined && inferenceId.length > 64) throw validation(`1 validation error detected: Value '${inferenceId}' at 'inferenceId' failed to satisfy constraint: Member must have length less than or equal to 64`);

  const inputLocation = header(req, 'x-amzn-sagemaker-inputlocation');
  let inline: string | undefined;
  if (inputLocation !== undefined) {
    const loc = parseS3Uri(inputLocation);
    if (!loc || loc.key === '') throw validation(`1 validation error detected: Value '${inputLocation}' at 'inputLocation' failed to satisfy constraint: Member must be an S3 URI of the form s3://bucket/key`);
    try {
      await platform.objects.headObject(loc.bucket, loc.key);
    } catch (e) {
      if (e instanceof ServiceError) throw validation(`Could not access the input location ${inputLocation}: ${e.code === 'NoSuchBucket' ? 'the bucket does not exist' : 'the object does not exist'}.`);
      throw e;
    }
  } else {
    if (body.length === 0) throw validation('Either InputLocation or Body must be provided.');
    if (body.length > MAX_INLINE_BODY) throw validation(`1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INLINE_BODY}`);
    inline = body.toString('base64');
  }

  const id = randomUUID();
  const extension = header(req, 'x-amzn-sagemaker-s3outputpathextension');
  const outputDir = extension ? joinKey(asyncConfig.OutputConfig.S3OutputPath, extension) : asyncConfig.OutputConfig.S3OutputPath.replace(/\/+$/, '');
  const outputLocation = `${outputDir}/${id}.out`;
  const failurePath = asyncConfig.OutputConfig.S3FailurePath;
  const failureLocation = failurePath ? `${failurePath.replace(/\/+$/, '')}/${id}-error.out` : undefined;
  const now = platform.now();
  const doc: AsyncInvocationDoc = {
    endpoint: name,
    account,
    inferenceId: inferenceId ?? id,
    input: inputLocation,
    inline,
    contentType: header(req, 'x-amzn-sagemaker-content-type'),
    accept: header(req, 'x-amzn-sagemaker-accept'),
    customAttributes: header(req, 'x-amzn-sagemaker-custom-attributes'),
    outputLocation,
    failureLocation,
    maxConcurrentPerInstance: asyncConfig.ClientConfig?.MaxConcurrentInvocationsPerInstance,
    expiresAt: now + ttl * 1000,
    timeoutSeconds: timeout,
  };
  for (const k of Object.keys(doc) as (keyof AsyncInvocationDoc)[]) if (doc[k] === undefined) delete doc[k];
  await platform.store.createResource<AsyncInvocationDoc>({
    kind: ASYNC_INVOCATION_KIND,
    id,
    name: id,
    arn: `${sagemakerArn(platform.config, 'endpoint', name)}/async-invocation/${id}`,
    parent: name,
    status: 'Pending',
    creationTime: now,
    doc,
  });
  queue.nudge();

  const payload = Buffer.from(JSON.stringify({ InferenceId: doc.inferenceId }));
  const out: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': payload.length,
    'x-amzn-sagemaker-outputlocation': outputLocation,
    'x-amzn-requestid': ctx.requestId,
  };
  if (failureLocation) out['x-amzn-sagemaker-failurelocation'] = failureLocation;
  res.writeHead(202, out);
  res.end(payload);
}

import { Readable } from 'node:stream';
import { ServiceError } from '../../core/errors.js';
import { parseS3Uri } from '../../controllers/training/s3-uri.js';
import { pickInstance, pickVariant, type InstanceRoute } from '../../controllers/hosting/routing-table.js';
import type { RuntimeService } from '../../controllers/hosting/routing-table.js';
import { ENDPOINT_KIND } from '../sagemaker/endpoints-doc.js';
import type { Platform } from '../service.js';
import type { RuntimeHosting } from './invoke-endpoint.js';
import { ConnectFailure, invokeModel, ModelTimeout, readAll, type ModelResponse } from './model-proxy.js';

/** Queued InvokeEndpointAsync requests in the metadata store (id = the output's uuid; parent = the endpoint). */
export const ASYNC_INVOCATION_KIND = 'async-invocation';

export interface AsyncInvocationDoc {
  endpoint: string;
  account: string;
  inferenceId: string;
  /** s3:// URI of the input object, or … */
  input?: string;
  /** … the inline body, base64. */
  inline?: string;
  contentType?: string;
  accept?: string;
  customAttributes?: string;
  outputLocation: string;
  failureLocation?: string;
  maxConcurrentPerInstance?: number;
  /** Epoch ms after which the request is not started any more (RequestTTLSeconds). */
  expiresAt: number;
  timeoutSeconds: number;
}

/** Requests in flight per instance when AsyncInferenceConfig.ClientConfig does not say (SageMaker picks a value of its own). */
export const DEFAULT_CONCURRENCY_PER_INSTANCE = 4;
const MAX_ATTEMPTS = 3;

/**
 * Runs queued InvokeEndpointAsync requests. Level-triggered: on a nudge (a new request, one that
 * finished) and every `pollMs`, it lists the Pending records (oldest first) and starts those whose
 * endpoint has a route and room (MaxConcurrentInvocationsPerInstance × its healthy instances).
 * A request is routed like InvokeEndpoint (variant by weight, instance by fewest in flight); the
 * model's 2xx answer is written to OutputLocation, any other answer (or a timeout) to
 * FailureLocation; then the record is deleted. Records survive a restart: a request cut off by
 * Clary stopping runs again (at least once). Started and closed with the hosting controller.
 */
export class AsyncInvocationQueue implements RuntimeService {
  private readonly running = new Map<string, Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private started = false;
  private stopped = false;

  constructor(private readonly platform: Platform, private readonly hosting: RuntimeHosting, private readonly pollMs = 1000) {}

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.timer = setInterval(() => this.nudge(), this.pollMs);
    this.timer.unref();
    this.nudge();
  }

  nudge(): void {
    if (!this.started || this.stopped) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.scan()
      .catch((e: unknown) => this.platform.log.error({ err: e }, 'async inference: scan failed'))
      .finally(() => {
        this.scanning = undefined;
        if (this.rescan) {
          this.rescan = false;
          this.nudge();
        }
      });
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
    // What does not finish in time stays Pending for the next Clary.
    await Promise.race([Promise.allSettled([...this.running.values()]), new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private async scan(): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.platform.store.listResources<AsyncInvocationDoc>({ kind: ASYNC_INVOCATION_KIND, statusEquals: 'Pending', sortBy: 'creationTime', sortOrder: 'asc', limit: 500, cursor });
      for (const rec of page.items) {
        if (this.stopped) return;
        if (this.running.has(rec.id)) continue;
        const doc = rec.doc;
        const route = this.hosting.routes.get(doc.endpoint);
        if (!route) {
          // Not serving right now (being replaced, Clary just started): wait, unless the endpoint is gone.
          if (!(await this.platform.store.getResource(ENDPOINT_KIND, doc.endpoint))) this.begin(rec.id, doc, 'gone');
          continue;
        }
        const instances = route.variants.reduce((n, v) => n + v.instances.length, 0);
        const room = (doc.maxConcurrentPerInstance ?? DEFAULT_CONCURRENCY_PER_INSTANCE) * instances;
        if ((this.perEndpoint.get(doc.endpoint) ?? 0) >= room) continue;
        this.begin(rec.id, doc, 'run');
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  private begin(id: string, doc: AsyncInvocationDoc, how: 'run' | 'gone'): void {
    this.perEndpoint.set(doc.endpoint, (this.perEndpoint.get(doc.endpoint) ?? 0) + 1);
    const p = (how === 'gone' ? this.fail(doc, `Endpoint ${doc.endpoint} of account ${doc.account} was deleted before the request ran.`) : this.run(doc))
      .then(async (done) => {
        if (done) await this.platform.store.deleteResource(ASYNC_INVOCATION_KIND, id);
      })
      .catch((e: unknown) => this.platform.log.warn({ err: e, endpoint: doc.endpoint, id }, 'async inference: request will be retried'))
      .finally(() => {
        this.running.delete(id);
        const n = (this.perEndpoint.get(doc.endpoint) ?? 1) - 1;
        if (n > 0) this.perEndpoint.set(doc.endpoint, n);
        else this.perEndpoint.delete(doc.endpoint);
        this.nudge();
      });
    this.running.set(id, p);
  }

  /** true when the request is finished (output or failure written); false to leave it queued. */
  private async run(doc: AsyncInvocationDoc): Promise<boolean> {
    if (this.platform.now() > doc.expiresAt) return this.fail(doc, `The request expired: it was not processed within its RequestTTLSeconds.`);
    let body: Buffer;
    if (doc.input !== undefined) {
      const loc = parseS3Uri(doc.input)!;
      try {
        body = await readAll((await this.platform.objects.getObject(loc.bucket, loc.key)).body as never);
      } catch (e) {
        return this.fail(doc, `Could not read the input location ${doc.input}: ${(e as Error).message}`);
      }
    } else {
      body = Buffer.from(doc.inline ?? '', 'base64');
    }
    const headers: Record<string, string | number> = { 'content-length': body.length, 'x-amzn-sagemaker-inference-id': doc.inferenceId };
    if (doc.contentType) headers['content-type'] = doc.contentType;
    if (doc.accept) headers.accept = doc.accept;
    if (doc.customAttributes) headers['x-amzn-sagemaker-custom-attributes'] = doc.customAttributes;

    let tried: InstanceRoute | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const route = this.hosting.routes.get(doc.endpoint);
      const variant = route && pickVariant(route);
      const instance = variant && pickInstance(variant, tried);
      if (!instance) return false;
      tried = instance;
      instance.outstanding++;
      let answer: ModelResponse;
      try {
        answer = await invokeModel(instance.port, headers, body, doc.timeoutSeconds * 1000);
      } catch (e) {
        if (e instanceof ConnectFailure) continue;
        if (e instanceof ModelTimeout) return this.fail(doc, `Your invocation timed out while waiting for a response from container primary (InvocationTimeoutSeconds ${doc.timeoutSeconds}).`);
        return this.fail(doc, `The model server's connection failed: ${(e as Error).message}`);
      } finally {
        instance.outstanding--;
      }
      if (answer.status >= 200 && answer.status <= 299) {
        await this.write(doc.outputLocation, answer.body, (answer.headers['content-type'] as string | undefined) ?? 'application/octet-stream');
        return true;
      }
      return this.fail(doc, answer.body, (answer.headers['content-type'] as string | undefined) ?? 'text/plain');
    }
    return false;
  }

  /** Writes the failure to FailureLocation (without S3FailurePath it is only logged). */
  private async fail(doc: AsyncInvocationDoc, what: string | Buffer, contentType = 'text/plain'): Promise<boolean> {
    const body = typeof what === 'string' ? Buffer.from(what) : what;
    this.platform.log.info({ endpoint: doc.endpoint, inferenceId: doc.inferenceId, failure: body.toString('utf8').slice(0, 512) }, 'async inference failed');
    if (doc.failureLocation) await this.write(doc.failureLocation, body, contentType);
    return true;
  }

  private async write(uri: string, body: Buffer, contentType: string): Promise<void> {
    const loc = parseS3Uri(uri)!;
    try {
      await this.platform.objects.putObject(loc.bucket, loc.key, Readable.from([body]), { contentLength: body.length, contentType });
    } catch (e) {
      // S3 refuses (no such bucket …): retrying would not help; the answer is lost, as on SageMaker.
      if (!(e instanceof ServiceError)) throw e;
      this.platform.log.warn({ err: e, uri }, 'async inference: cannot write the result');
    }
  }
}

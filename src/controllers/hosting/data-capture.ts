import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Logger } from '../../core/logger.js';
import type { DataCaptureConfig } from '../../generated/types/sagemaker.js';
import type { ObjectStore } from '../../objects/object-store.js';
import { joinKey, parseS3Uri } from '../training/s3-uri.js';

/**
 * Data capture (DataCaptureConfig) for InvokeEndpoint: a sampled share of invocations is kept in
 * memory as it happens (one array push on the request path) and written to S3 off the request
 * path, as SageMaker writes it: JSON Lines, one capture record per invocation, under
 * `<DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/<mm>-<ss>-<ms>-<uuid>.jsonl`
 * (UTC; the hour of the invocations in the file). Flushed every few seconds, when an endpoint is
 * deleted, and when Clary closes. An endpoint without (enabled) capture has no `capture` on its
 * route: the request path then only checks that the member is absent.
 */

/** How often buffered records go to S3. */
export const CAPTURE_FLUSH_MS = 5000;
/** Records buffered per endpoint before a flush is started early. */
const EARLY_FLUSH_RECORDS = 1000;

interface Pending {
  readonly time: number;
  readonly variant: string;
  readonly inContentType: string | undefined;
  readonly input: Buffer | undefined;
  readonly outContentType: string | undefined;
  readonly output: Buffer | undefined;
  readonly inferenceId: string | undefined;
}

/** One endpoint's capture settings, compiled from its DataCaptureConfig. */
export class EndpointCapture {
  readonly fraction: number;
  readonly input: boolean;
  readonly output: boolean;
  private readonly csv: ReadonlySet<string>;
  private readonly json: ReadonlySet<string>;
  readonly bucket: string;
  readonly prefix: string;

  constructor(private readonly sink: DataCaptureSink, readonly endpoint: string, dc: DataCaptureConfig, dest: { bucket: string; key: string }) {
    this.fraction = dc.InitialSamplingPercentage / 100;
    const modes = new Set((dc.CaptureOptions ?? []).map((o) => o.CaptureMode));
    this.input = modes.has('Input') || modes.has('InputAndOutput');
    this.output = modes.has('Output') || modes.has('InputAndOutput');
    this.csv = new Set((dc.CaptureContentTypeHeader?.CsvContentTypes ?? []).map(normalType));
    this.json = new Set((dc.CaptureContentTypeHeader?.JsonContentTypes ?? []).map(normalType));
    this.bucket = dest.bucket;
    this.prefix = dest.key;
  }

  /** Called once per successful invocation: decides by sampling, then only appends to memory. */
  offer(variant: string, inContentType: string | undefined, input: Buffer, outContentType: string | undefined, output: Buffer, inferenceId: string | undefined): void {
    if (this.fraction < 1 && Math.random() >= this.fraction) return;
    this.sink.append(this, {
      time: Date.now(),
      variant,
      inContentType,
      input: this.input ? input : undefined,
      outContentType,
      output: this.output ? output : undefined,
      inferenceId,
    });
  }

  /** The `encoding` SageMaker records for a content type: CSV / JSON for the configured ones, BASE64 otherwise. */
  encodingOf(contentType: string | undefined): 'CSV' | 'JSON' | 'BASE64' {
    if (contentType === undefined) return 'BASE64';
    const t = normalType(contentType);
    if (this.csv.has(t)) return 'CSV';
    if (this.json.has(t)) return 'JSON';
    return 'BASE64';
  }

  /** One capture record (a line of the .jsonl file). */
  recordOf(p: Pending): string {
    const captureData: Record<string, unknown> = {};
    if (p.input) captureData.endpointInput = this.part(p.inContentType, 'INPUT', p.input);
    if (p.output) captureData.endpointOutput = this.part(p.outContentType, 'OUTPUT', p.output);
    const eventMetadata: Record<string, string> = { eventId: randomUUID(), inferenceTime: isoSeconds(p.time) };
    if (p.inferenceId !== undefined) eventMetadata.inferenceId = p.inferenceId;
    return JSON.stringify({ captureData, eventMetadata, eventVersion: '0' });
  }

  private part(contentType: string | undefined, mode: 'INPUT' | 'OUTPUT', data: Buffer): Record<string, string> {
    const encoding = this.encodingOf(contentType);
    return { observedContentType: contentType ?? '', mode, data: encoding === 'BASE64' ? data.toString('base64') : data.toString('utf8'), encoding };
  }
}

/**
 * The settings of an endpoint's DataCaptureConfig, or undefined when nothing is to be captured
 * (no configuration, EnableCapture false, 0 %, or no capture option).
 */
export function endpointCapture(sink: DataCaptureSink | undefined, endpoint: string, dc: DataCaptureConfig | undefined): EndpointCapture | undefined {
  if (!sink || !dc || dc.EnableCapture === false || !(dc.InitialSamplingPercentage > 0)) return undefined;
  const dest = parseS3Uri(dc.DestinationS3Uri);
  if (!dest) return undefined;
  const c = new EndpointCapture(sink, endpoint, dc, dest);
  return c.input || c.output ? c : undefined;
}

/** The buffers of every endpoint's captured invocations, and their writer. */
export class DataCaptureSink {
  private buffers = new Map<string, { capture: EndpointCapture; records: Pending[] }>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly objects: ObjectStore, private readonly log: Logger, private readonly flushMs = CAPTURE_FLUSH_MS) {}

  append(capture: EndpointCapture, p: Pending): void {
    if (this.closed) return;
    let b = this.buffers.get(capture.endpoint);
    if (!b || b.capture !== capture) {
      // A new configuration (UpdateEndpoint): what was buffered under the old one is written first.
      if (b) void this.flush(capture.endpoint);
      b = { capture, records: [] };
      this.buffers.set(capture.endpoint, b);
    }
    b.records.push(p);
    if (b.records.length >= EARLY_FLUSH_RECORDS) void this.flush(capture.endpoint);
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what is buffered (for one endpoint, or all) to S3; resolves when it is written. */
  flush(endpoint?: string): Promise<void> {
    const taken: { capture: EndpointCapture; records: Pending[] }[] = [];
    for (const [name, b] of this.buffers) {
      if (endpoint !== undefined && name !== endpoint) continue;
      if (b.records.length) taken.push({ capture: b.capture, records: b.records });
      this.buffers.delete(name);
    }
    if (!taken.length) return this.writing;
    this.writing = this.writing.then(() => this.write(taken));
    return this.writing;
  }

  /** Clary is closing: everything buffered is written. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(batches: { capture: EndpointCapture; records: Pending[] }[]): Promise<void> {
    for (const { capture, records } of batches) {
      // One file per variant and hour.
      const files = new Map<string, string[]>();
      for (const p of records) {
        const d = new Date(p.time);
        const dir = joinKey(capture.prefix, capture.endpoint, p.variant, `${d.getUTCFullYear()}`, pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours()));
        let lines = files.get(dir);
        if (!lines) files.set(dir, (lines = []));
        lines.push(capture.recordOf(p));
      }
      for (const [dir, lines] of files) {
        const now = new Date();
        const key = `${dir}/${pad(now.getUTCMinutes())}-${pad(now.getUTCSeconds())}-${String(now.getUTCMilliseconds()).padStart(3, '0')}-${randomUUID()}.jsonl`;
        const body = Buffer.from(lines.join('\n') + '\n');
        try {
          await this.objects.putObject(capture.bucket, key, Readable.from([body]), { contentLength: body.length, contentType: 'application/octet-stream' });
        } catch (e) {
          this.log.warn({ err: e, endpoint: capture.endpoint, bucket: capture.bucket, key }, 'data capture: cannot write captured invocations; they are dropped');
        }
      }
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
const normalType = (t: string) => t.split(';')[0]!.trim().toLowerCase();
const isoSeconds = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

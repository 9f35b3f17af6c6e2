import type { MetricRecorder } from './metric-recorder.js';

/**
 * Structurally the hosting controller's InvocationObserver (src/controllers/hosting/invocation-observer.ts),
 * declared here so metrics do not depend on hosting.
 */
export interface InvocationSampleLike {
  readonly modelLatencyMicros: number;
  readonly overheadLatencyMicros: number;
  /** HTTP status the model answered; 0 when it did not answer (timeout, connection lost). */
  readonly status: number;
}
export interface InvocationObserverLike {
  observe(endpoint: string, variant: string, sample: InvocationSampleLike): void;
}

export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';

/**
 * Endpoint invocation metrics as SageMaker publishes them, in AWS/SageMaker with dimensions
 * EndpointName and VariantName, aggregated per minute by the recorder:
 *
 * | metric | per invocation | unit |
 * |---|---|---|
 * | Invocations | 1 | None |
 * | InvocationsPerInstance | 1 / the variant's instances serving now | None |
 * | ModelLatency, OverheadLatency | the sample's microseconds | Microseconds |
 * | Invocation4XXErrors | 1 for a 4xx from the model, else 0 | None |
 * | Invocation5XXErrors | 1 for a 5xx or no answer, else 0 | None |
 * | InvocationModelErrors | 1 for anything but a 2xx, else 0 | None |
 *
 * Sum gives counts and Average rates, as on SageMaker.
 */
export class InvocationMetrics implements InvocationObserverLike {
  constructor(
    private readonly recorder: MetricRecorder,
    /** The variant's instances serving now (undefined when unknown: InvocationsPerInstance counts 1). */
    private readonly instanceCount: (endpoint: string, variant: string) => number | undefined,
  ) {}

  observe(endpoint: string, variant: string, sample: InvocationSampleLike): void {
    const dims = [
      { name: 'EndpointName', value: endpoint },
      { name: 'VariantName', value: variant },
    ];
    const put = (name: string, value: number, unit = 'None') => this.recorder.put(SAGEMAKER_NAMESPACE, name, dims, value, unit);
    const instances = this.instanceCount(endpoint, variant);
    const s = sample.status;
    put('Invocations', 1);
    put('InvocationsPerInstance', instances && instances > 0 ? 1 / instances : 1);
    if (Number.isFinite(sample.modelLatencyMicros) && sample.modelLatencyMicros >= 0) put('ModelLatency', sample.modelLatencyMicros, 'Microseconds');
    if (Number.isFinite(sample.overheadLatencyMicros) && sample.overheadLatencyMicros >= 0) put('OverheadLatency', sample.overheadLatencyMicros, 'Microseconds');
    put('Invocation4XXErrors', s >= 400 && s < 500 ? 1 : 0);
    put('Invocation5XXErrors', s >= 500 || s === 0 ? 1 : 0);
    put('InvocationModelErrors', s >= 200 && s < 300 ? 0 : 1);
  }
}

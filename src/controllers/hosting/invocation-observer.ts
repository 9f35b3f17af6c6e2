/**
 * Per-invocation measurements of InvokeEndpoint, for CloudWatch's AWS/SageMaker metrics
 * (ModelLatency, OverheadLatency, Invocations, Invocation4XXErrors …). The runtime calls
 * observe() once per invocation that reached a model (or failed to); the default does nothing.
 */
export interface InvocationSample {
  /** Time the model took to answer (request sent → response complete), in microseconds. */
  readonly modelLatencyMicros: number;
  /** Time Clary added around it (routing, proxying), in microseconds. */
  readonly overheadLatencyMicros: number;
  /** HTTP status the model answered (0 when it did not answer: timeout, connection lost). */
  readonly status: number;
}

export interface InvocationObserver {
  observe(endpoint: string, variant: string, sample: InvocationSample): void;
}

export const NO_OP_OBSERVER: InvocationObserver = Object.freeze({ observe() {} });

/**
 * What the autoscaler drives: a SageMaker endpoint variant's desired instance count. The hosting
 * controller provides it (src/controllers/autoscaling/hosting-variant-scaler.ts adapts
 * setVariantDesiredInstanceCount / getVariantInstanceCounts); tests use an in-memory one.
 */
export interface VariantScaler {
  /** The variant's desired instance count now, or undefined when the endpoint or variant does not exist. */
  currentCount(endpoint: string, variant: string): Promise<number | undefined>;
  /** Asks for `count` instances; throws (with a message worth showing in an activity) when it cannot. */
  setDesiredCount(endpoint: string, variant: string, count: number): Promise<void>;
}

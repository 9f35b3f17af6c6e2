import type { VariantScaler } from '../../controllers/autoscaling/variant-scaler.js';
import type { ServiceModule } from '../service.js';
import { describeScalingActivities } from './activities.js';
import { deleteScalingPolicy, describeScalingPolicies, putScalingPolicy } from './policies.js';
import { deregisterScalableTarget, describeScalableTargets, registerScalableTarget } from './targets.js';

/**
 * Application Auto Scaling (JSON 1.1, AnyScaleFrontendService.*) for SageMaker endpoint variants
 * (docs/autoscaling.md). Handlers record targets, policies and activities in the store; the
 * autoscaler (src/controllers/autoscaling) does the scaling. With a scaler, registering a target
 * checks that the endpoint variant exists.
 */
export function createApplicationAutoScalingService(opts: { scaler?: VariantScaler } = {}): ServiceModule {
  return {
    model: 'application-autoscaling',
    actionPrefix: 'application-autoscaling',
    handlers: {
      RegisterScalableTarget: registerScalableTarget(opts.scaler),
      DescribeScalableTargets: describeScalableTargets,
      DeregisterScalableTarget: deregisterScalableTarget,
      PutScalingPolicy: putScalingPolicy,
      DescribeScalingPolicies: describeScalingPolicies,
      DeleteScalingPolicy: deleteScalingPolicy,
      DescribeScalingActivities: describeScalingActivities,
    },
  };
}

/** The operations this module implements (for scripts/gen-compat.ts, which lists `*_OPERATIONS`). */
export const APPLICATION_AUTOSCALING_OPERATIONS: readonly string[] = Object.freeze(Object.keys(createApplicationAutoScalingService().handlers));

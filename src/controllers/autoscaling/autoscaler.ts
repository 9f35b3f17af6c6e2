import { StaleVersionError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Platform } from '../../services/service.js';
import { recordActivity } from '../../services/application-autoscaling/activities.js';
import { allOf } from '../../services/application-autoscaling/paging.js';
import { parseVariantResource } from '../../services/application-autoscaling/resource-id.js';
import { POLICY_KIND, TARGET_KIND, type ScalableTargetDoc, type ScalingPolicyDoc } from '../../services/application-autoscaling/shapes.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import { decide, DEFAULT_COOLDOWN_SECONDS, type Decision, type PolicyEvaluation } from './policy-math.js';
import { evaluatePolicyMetric, policyMetricSpec } from './policy-metric.js';
import type { VariantScaler } from './variant-scaler.js';

export interface AutoscalerOptions {
  readonly platform: Platform;
  readonly scaler: VariantScaler;
  /** How often every target is evaluated (default 15 s). */
  readonly intervalMs?: number;
  /** The metric period (default 60 s, CloudWatch's). */
  readonly periodSeconds?: number;
  /** Complete periods evaluated (default 1: the last full minute). */
  readonly evaluationPeriods?: number;
  readonly log?: Logger;
}

/**
 * The autoscaler (docs/autoscaling.md): every interval, for each registered scalable target with
 * target-tracking policies, computes each policy's metric from the metric store, decides
 * (policy-math.ts), applies through the VariantScaler and records a scaling activity. Its memory
 * (when it last scaled each way) is in the target's document, so a restart keeps the cooldowns.
 */
export class Autoscaler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly intervalMs: number;
  private readonly periodMs: number;
  private readonly periods: number;

  constructor(private readonly opts: AutoscalerOptions) {
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.periodMs = (opts.periodSeconds ?? 60) * 1000;
    this.periods = opts.evaluationPeriods ?? 1;
  }

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.nudge(), this.intervalMs);
    this.timer.unref();
  }

  /** Evaluate soon (a policy or target changed). */
  nudge(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.tick().catch((e: unknown) => this.opts.log?.error({ err: e }, 'autoscaler: evaluation failed'));
  }

  /** One evaluation of every target; concurrent calls share it. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    const run = (async () => {
      do {
        this.again = false;
        await this.evaluateAll();
      } while (this.again && !this.closed);
    })().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }

  private async evaluateAll(): Promise<void> {
    const store = this.opts.platform.store;
    for (const target of await allOf<ScalableTargetDoc>(store, TARGET_KIND)) {
      if (this.closed) return;
      try {
        await this.evaluate(target);
      } catch (e) {
        this.opts.log?.error({ err: e, target: target.doc.ResourceId }, 'autoscaler: cannot evaluate target');
      }
    }
  }

  private async evaluate(target: ResourceRecord<ScalableTargetDoc>): Promise<void> {
    const { platform, scaler } = this.opts;
    const policies = await allOf<ScalingPolicyDoc>(platform.store, POLICY_KIND, target.id);
    if (policies.length === 0) return;
    const { endpoint, variant } = parseVariantResource(target.doc.ResourceId);
    const current = await scaler.currentCount(endpoint, variant);
    if (current === undefined) return;
    const now = platform.now();
    const evaluations: (PolicyEvaluation & { metricName: string })[] = [];
    for (const p of policies) {
      const c = p.doc.TargetTrackingScalingPolicyConfiguration;
      evaluations.push({
        policyName: p.doc.PolicyName,
        metricName: policyMetricSpec(c, endpoint, variant).metricName,
        metric: await evaluatePolicyMetric(platform.store, c, endpoint, variant, { now, periodMs: this.periodMs, periods: this.periods }),
        target: c.TargetValue,
        scaleOutCooldownMs: (c.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
        scaleInCooldownMs: (c.ScaleInCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
        disableScaleIn: c.DisableScaleIn === true,
      });
    }
    const d = target.doc;
    const decision = decide(
      {
        current,
        min: d.MinCapacity,
        max: d.MaxCapacity,
        now,
        lastScaleOutAt: d._clary?.lastScaleOutAt,
        lastScaleInAt: d._clary?.lastScaleInAt,
        scaleOutSuspended: d.SuspendedState.DynamicScalingOutSuspended,
        scaleInSuspended: d.SuspendedState.DynamicScalingInSuspended,
      },
      evaluations,
    );
    if (decision.kind === 'none') return;
    await this.apply(target, endpoint, variant, current, decision);
  }

  private async apply(target: ResourceRecord<ScalableTargetDoc>, endpoint: string, variant: string, current: number, decision: Exclude<Decision, { kind: 'none' }>): Promise<void> {
    const { platform, scaler } = this.opts;
    const start = platform.now();
    const cause =
      decision.kind === 'clamp'
        ? `${decision.bound === 'MinCapacity' ? 'minimum' : 'maximum'} capacity was set to ${decision.to}`
        : `target tracking policy ${decision.policy.policyName}: the metric was ${round(decision.policy.metric!)} against a target of ${decision.policy.target} with ${current} instance${current === 1 ? '' : 's'} (scale ${decision.kind})`;
    let status: 'Successful' | 'Failed' = 'Successful';
    let message = `Successfully set desired instance count to ${decision.to}. Change successfully fulfilled by sagemaker.`;
    try {
      await scaler.setDesiredCount(endpoint, variant, decision.to);
    } catch (e) {
      status = 'Failed';
      message = `Failed to set desired instance count to ${decision.to}. Reason: ${(e as Error).message}`;
    }
    await recordActivity(platform.store, {
      ResourceId: target.doc.ResourceId,
      ScalableDimension: target.doc.ScalableDimension,
      Description: `Setting desired instance count to ${decision.to}.`,
      Cause: cause,
      StartTime: start,
      EndTime: platform.now(),
      StatusCode: status,
      StatusMessage: message,
    });
    if (status !== 'Successful') return;
    const key = decision.kind === 'in' || (decision.kind === 'clamp' && decision.to < current) ? 'lastScaleInAt' : 'lastScaleOutAt';
    try {
      await platform.store.updateResource<ScalableTargetDoc>(TARGET_KIND, target.id, target.version, {
        doc: { ...target.doc, _clary: { ...target.doc._clary, [key]: start } },
      });
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e; // re-registered meanwhile: its new settings win
    }
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

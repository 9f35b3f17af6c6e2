/**
 * Target tracking arithmetic (docs/autoscaling.md), pure: what one evaluation of a target's
 * policies asks for. desired = ceil(current × metric / target), clamped to [min, max]; scale-out
 * when any policy wants more (the largest wins) and its ScaleOutCooldown has passed since the last
 * scale-out; scale-in only when every policy has data and wants less, none disables scale-in, and
 * ScaleInCooldown has passed since the last scaling of either kind. A capacity outside [min, max]
 * is brought inside at once.
 */
export interface PolicyEvaluation {
  readonly policyName: string;
  /** The metric over the window; undefined when there was no data (no scaling on missing data, as on AWS). */
  readonly metric: number | undefined;
  readonly target: number;
  readonly scaleOutCooldownMs: number;
  readonly scaleInCooldownMs: number;
  readonly disableScaleIn: boolean;
}

export interface TargetState {
  readonly current: number;
  readonly min: number;
  readonly max: number;
  readonly now: number;
  readonly lastScaleOutAt?: number;
  readonly lastScaleInAt?: number;
  readonly scaleOutSuspended?: boolean;
  readonly scaleInSuspended?: boolean;
}

export type Decision =
  | { readonly kind: 'none' }
  | { readonly kind: 'clamp'; readonly to: number; readonly bound: 'MinCapacity' | 'MaxCapacity' }
  | { readonly kind: 'out' | 'in'; readonly to: number; readonly policy: PolicyEvaluation };

/** Default cooldowns of a SageMaker target-tracking policy (seconds). */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/** ceil(current × metric / target), tolerant of floating-point noise (3 × 0.1 / 0.1 is 3, not 4). */
export function trackingCapacity(current: number, metric: number, target: number): number {
  const exact = (current * metric) / target;
  return Math.max(0, Math.ceil(exact - 1e-9 * Math.max(1, Math.abs(exact))));
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

export function decide(s: TargetState, policies: readonly PolicyEvaluation[]): Decision {
  if (s.current < s.min) return { kind: 'clamp', to: s.min, bound: 'MinCapacity' };
  if (s.current > s.max) return { kind: 'clamp', to: s.max, bound: 'MaxCapacity' };
  const wanted = policies.map((p) => ({ p, d: p.metric === undefined ? undefined : clamp(trackingCapacity(s.current, p.metric, p.target), s.min, s.max) }));

  if (!s.scaleOutSuspended) {
    let best: { p: PolicyEvaluation; d: number } | undefined;
    for (const w of wanted) {
      if (w.d === undefined || w.d <= s.current) continue;
      if (s.lastScaleOutAt !== undefined && s.now - s.lastScaleOutAt < w.p.scaleOutCooldownMs) continue;
      if (!best || w.d > best.d) best = { p: w.p, d: w.d };
    }
    if (best) return { kind: 'out', to: best.d, policy: best.p };
  }

  if (s.scaleInSuspended || wanted.length === 0) return { kind: 'none' };
  let to = -Infinity;
  let by: PolicyEvaluation | undefined;
  for (const w of wanted) {
    if (w.d === undefined || w.d >= s.current || w.p.disableScaleIn) return { kind: 'none' };
    const last = Math.max(s.lastScaleInAt ?? -Infinity, s.lastScaleOutAt ?? -Infinity);
    if (s.now - last < w.p.scaleInCooldownMs) return { kind: 'none' };
    if (w.d > to) {
      to = w.d;
      by = w.p;
    }
  }
  return by ? { kind: 'in', to, policy: by } : { kind: 'none' };
}

import { describe, expect, it } from 'vitest';
import { decide, trackingCapacity, type PolicyEvaluation, type TargetState } from './policy-math.js';

const policy = (over: Partial<PolicyEvaluation> = {}): PolicyEvaluation => ({
  policyName: 'p',
  metric: 100,
  target: 50,
  scaleOutCooldownMs: 300_000,
  scaleInCooldownMs: 300_000,
  disableScaleIn: false,
  ...over,
});
const state = (over: Partial<TargetState> = {}): TargetState => ({ current: 2, min: 1, max: 10, now: 1_000_000_000, ...over });

describe('target tracking arithmetic', () => {
  it('is ceil(current × metric / target), without floating-point surprises', () => {
    expect(trackingCapacity(2, 100, 50)).toBe(4);
    expect(trackingCapacity(2, 101, 50)).toBe(5);
    expect(trackingCapacity(3, 0.1, 0.1)).toBe(3);
    expect(trackingCapacity(4, 10, 50)).toBe(1);
    expect(trackingCapacity(1, 0, 50)).toBe(0);
  });

  it('scales out to the desired count, clamped to MaxCapacity', () => {
    expect(decide(state(), [policy()])).toMatchObject({ kind: 'out', to: 4 });
    expect(decide(state({ max: 3 }), [policy()])).toMatchObject({ kind: 'out', to: 3 });
    expect(decide(state({ current: 3, max: 3 }), [policy()])).toEqual({ kind: 'none' });
  });

  it('scales in to the desired count, clamped to MinCapacity', () => {
    expect(decide(state({ current: 8 }), [policy({ metric: 10 })])).toMatchObject({ kind: 'in', to: 2 });
    expect(decide(state({ current: 8, min: 3 }), [policy({ metric: 10 })])).toMatchObject({ kind: 'in', to: 3 });
    expect(decide(state({ current: 3, min: 3 }), [policy({ metric: 10 })])).toEqual({ kind: 'none' });
  });

  it('holds at the target and on missing data', () => {
    expect(decide(state(), [policy({ metric: 50 })])).toEqual({ kind: 'none' });
    expect(decide(state({ current: 8 }), [policy({ metric: undefined })])).toEqual({ kind: 'none' });
  });

  it('brings a capacity outside [min, max] inside at once, cooldowns or not', () => {
    expect(decide(state({ current: 1, min: 2, lastScaleOutAt: 999_999_999 }), [policy({ metric: 0 })])).toEqual({ kind: 'clamp', to: 2, bound: 'MinCapacity' });
    expect(decide(state({ current: 12 }), [])).toEqual({ kind: 'clamp', to: 10, bound: 'MaxCapacity' });
  });

  it('waits ScaleOutCooldown after a scale-out before scaling out again', () => {
    const now = 1_000_000_000;
    expect(decide(state({ lastScaleOutAt: now - 299_999 }), [policy()])).toEqual({ kind: 'none' });
    expect(decide(state({ lastScaleOutAt: now - 300_000 }), [policy()])).toMatchObject({ kind: 'out', to: 4 });
    // a scale-in does not hold back a scale-out
    expect(decide(state({ lastScaleInAt: now - 1 }), [policy()])).toMatchObject({ kind: 'out', to: 4 });
  });

  it('waits ScaleInCooldown after any scaling before scaling in, and never scales in with DisableScaleIn', () => {
    const now = 1_000_000_000;
    const low = policy({ metric: 10, scaleInCooldownMs: 60_000 });
    expect(decide(state({ current: 8, lastScaleInAt: now - 59_000 }), [low])).toEqual({ kind: 'none' });
    expect(decide(state({ current: 8, lastScaleOutAt: now - 59_000 }), [low])).toEqual({ kind: 'none' });
    expect(decide(state({ current: 8, lastScaleInAt: now - 60_000, lastScaleOutAt: now - 60_000 }), [low])).toMatchObject({ kind: 'in', to: 2 });
    expect(decide(state({ current: 8 }), [{ ...low, disableScaleIn: true }])).toEqual({ kind: 'none' });
  });

  it('with several policies: the largest scale-out wins; scale-in only when all agree', () => {
    const a = policy({ policyName: 'a', metric: 100 }); // wants 4
    const b = policy({ policyName: 'b', metric: 150 }); // wants 6
    expect(decide(state(), [a, b])).toMatchObject({ kind: 'out', to: 6, policy: { policyName: 'b' } });
    const lowA = policy({ policyName: 'a', metric: 10 }); // 8 → 2
    const lowB = policy({ policyName: 'b', metric: 25 }); // 8 → 4
    expect(decide(state({ current: 8 }), [lowA, lowB])).toMatchObject({ kind: 'in', to: 4, policy: { policyName: 'b' } });
    expect(decide(state({ current: 8 }), [lowA, policy({ metric: undefined })])).toEqual({ kind: 'none' });
    expect(decide(state({ current: 8 }), [lowA, policy({ metric: 50 })])).toEqual({ kind: 'none' });
  });

  it('respects suspended dynamic scaling', () => {
    expect(decide(state({ scaleOutSuspended: true }), [policy()])).toEqual({ kind: 'none' });
    expect(decide(state({ current: 8, scaleInSuspended: true }), [policy({ metric: 10 })])).toEqual({ kind: 'none' });
  });
});

import { CONFIRMED } from './confirmed.js';
import type { FamilyRule } from './family-rules.js';
import { RECORDED_ON } from './sources.js';
import type { Accelerator, Provenance } from './types.js';

export interface Shape {
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly accelerator: Accelerator | null;
  readonly specs: Provenance;
}

const NAME = /^ml\.([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9]+)$/;

/** "ml.p6-b200.48xlarge" → { family: "p6-b200", size: "48xlarge" }; undefined for anything else ("system"). */
export function parseTypeName(name: string): { family: string; size: string } | undefined {
  const m = NAME.exec(name);
  return m ? { family: m[1]!, size: m[2]! } : undefined;
}

/** vCPU by size name: large 2, xlarge 4, Nxlarge 4N, medium per family (2 on t2/t3, 1 on Graviton). */
export function vcpuForSize(size: string, rule: FamilyRule): number | undefined {
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  if (size === 'medium') return rule.mediumVcpu;
  const m = /^(\d+)xlarge$/.exec(size);
  return m ? 4 * Number(m[1]) : undefined;
}

/** The shape of one type: the confirmed figures where §6 gives them, else the family rule. */
export function deriveShape(name: string, size: string, rule: FamilyRule): Shape {
  const explicit = rule.shapes?.[size];
  const vcpu = explicit?.[0] ?? vcpuForSize(size, rule);
  const memoryGiB = explicit?.[1] ?? (vcpu !== undefined && rule.gibPerVcpu !== undefined ? vcpu * rule.gibPerVcpu : undefined);
  if (vcpu === undefined || memoryGiB === undefined) {
    throw new Error(`${name}: no shape rule for size "${size}"; add it to src/compute/catalog/family-rules.ts`);
  }
  let accelerator: Accelerator | null = null;
  if (rule.accelerator) {
    const count = rule.accelerator.counts[size];
    if (count === undefined) throw new Error(`${name}: no accelerator count for size "${size}" in family-rules.ts`);
    const each = rule.accelerator.memoryGiBEach;
    accelerator = { kind: rule.accelerator.kind, count, memoryGiB: count * each, memoryGiBEach: each };
  }
  const confirmed = CONFIRMED[name];
  if (confirmed) {
    return {
      vcpu: confirmed.vcpu,
      memoryGiB: confirmed.memoryGiB,
      accelerator,
      specs: { confirmed: true, source: confirmed.specSource, asOf: RECORDED_ON },
    };
  }
  const specs: Provenance = rule.specsEstimate
    ? { confirmed: false, source: 'clary-estimate', asOf: RECORDED_ON, derived: 'estimate', note: rule.specsEstimate }
    : { confirmed: false, source: 'ec2-specs', asOf: RECORDED_ON, derived: 'size-rule' };
  return { vcpu, memoryGiB, accelerator, specs };
}

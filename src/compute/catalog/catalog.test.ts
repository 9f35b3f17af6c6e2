import { describe, expect, it } from 'vitest';
import { getServiceModel } from '../../models/load.js';
import {
  getCatalog, getInstanceType, listFamilies, listInstanceTypes, priceFor, workloadEnum, workloadsFor, WORKLOADS,
} from './index.js';
import { WORKLOAD_SHAPES } from './workload-enums.js';
import { botocoreSageMaker } from './test-model.js';

const model = botocoreSageMaker();

describe('instance catalog: confirmed figures', () => {
  it('ml.t3.medium is 2 vCPU, 4 GiB, $0.05/h in us-east-1', () => {
    const t = getInstanceType('ml.t3.medium')!;
    expect([t.vcpu, t.memoryGiB, t.accelerator, t.category]).toEqual([2, 4, null, 'burstable']);
    expect(priceFor('ml.t3.medium', 'us-east-1')).toMatchObject({ usdPerHour: 0.05, confirmed: true, source: 'jhuapl' });
  });

  it('ml.g5.xlarge is 4 vCPU, 16 GiB, 1× A10G 24 GiB, $1.4084/h', () => {
    const t = getInstanceType('ml.g5.xlarge')!;
    expect([t.family, t.size, t.category, t.vcpu, t.memoryGiB]).toEqual(['g5', 'xlarge', 'accelerated-gpu', 4, 16]);
    expect(t.accelerator).toEqual({ kind: 'NVIDIA A10G', count: 1, memoryGiB: 24, memoryGiBEach: 24 });
    expect(t.specs.confirmed).toBe(true);
    expect(priceFor('ml.g5.xlarge', 'us-east-1')).toMatchObject({ usdPerHour: 1.4084, confirmed: true, source: 'fmbench' });
  });

  it.each([
    ['ml.m5.xlarge', 4, 16, 0.23],
    ['ml.c5.2xlarge', 8, 16, 0.408],
    ['ml.g4dn.12xlarge', 48, 192, 4.89],
    ['ml.p3.2xlarge', 8, 61, 3.825],
    ['ml.p4d.24xlarge', 96, 1152, 37.688],
    ['ml.p5.48xlarge', 192, 2048, 113.068],
    ['ml.inf2.48xlarge', 192, 768, 15.58],
    ['ml.trn1.32xlarge', 128, 512, 28.497],
  ])('%s: %i vCPU, %i GiB, $%f', (name, vcpu, mem, usd) => {
    const t = getInstanceType(name)!;
    expect([t.vcpu, t.memoryGiB]).toEqual([vcpu, mem]);
    expect(t.prices['us-east-1']).toMatchObject({ usdPerHour: usd, confirmed: true });
  });

  it('GPU models and counts per family', () => {
    const kind = (n: string) => `${getInstanceType(n)!.accelerator!.count}× ${getInstanceType(n)!.accelerator!.kind}`;
    expect(kind('ml.g4dn.12xlarge')).toBe('4× NVIDIA T4');
    expect(kind('ml.g6.48xlarge')).toBe('8× NVIDIA L4');
    expect(kind('ml.g6e.xlarge')).toBe('1× NVIDIA L40S');
    expect(kind('ml.p3.16xlarge')).toBe('8× NVIDIA V100');
    expect(kind('ml.p4de.24xlarge')).toBe('8× NVIDIA A100');
    expect(kind('ml.p5en.48xlarge')).toBe('8× NVIDIA H200');
    expect(kind('ml.inf1.24xlarge')).toBe('16× AWS Inferentia');
    expect(kind('ml.trn2.48xlarge')).toBe('16× AWS Trainium2');
    expect(getInstanceType('ml.p4d.24xlarge')!.accelerator!.memoryGiB).toBe(320);
    expect(getInstanceType('ml.m5.large')!.accelerator).toBeNull();
  });
});

describe('instance catalog: coverage and sanity', () => {
  const all = getCatalog().instanceTypes;

  it('lists every ml.* value of every workload enum of the model, and nothing else', () => {
    const expected = new Set<string>();
    for (const { shape } of Object.values(WORKLOAD_SHAPES)) for (const v of model.shapes[shape]!.enum!) if (v.startsWith('ml.')) expected.add(v);
    expect(expected.size).toBeGreaterThan(300);
    expect(new Set(all.map((t) => t.name))).toEqual(expected);
    expect(all.length).toBe(expected.size);
  });

  it('has no negative, zero or NaN figure', () => {
    for (const t of all) {
      for (const n of [t.vcpu, t.memoryGiB, ...(t.accelerator ? [t.accelerator.count, t.accelerator.memoryGiB] : [])]) {
        expect(Number.isFinite(n) && n > 0, `${t.name}: ${n}`).toBe(true);
      }
      expect(Object.keys(t.prices).length, `${t.name} has no price anywhere`).toBeGreaterThan(0);
      for (const p of Object.values(t.prices)) expect(Number.isFinite(p.usdPerHour) && p.usdPerHour > 0, t.name).toBe(true);
    }
  });

  it('marks every unconfirmed figure with a derivation, and cites known sources with a date', () => {
    const sources = getCatalog().sources;
    for (const t of all) {
      for (const f of [t.specs, ...Object.values(t.prices)]) {
        expect(f.confirmed || f.derived !== undefined, t.name).toBe(true);
        expect(sources[f.source], `${t.name}: ${f.source}`).toBeDefined();
        expect(f.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('prices us-east-1 and at least three more regions', () => {
    const regions = Object.keys(getCatalog().regions);
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1']));
    expect(Object.keys(getInstanceType('ml.m5.large')!.prices).sort()).toEqual([...regions].sort());
    expect(priceFor('ml.m5.large', 'eu-west-1')).toMatchObject({ usdPerHour: 0.1288, confirmed: false, derived: 'region-multiplier' });
  });

  it('derives prices within a family from a confirmed size', () => {
    expect(priceFor('ml.m5.4xlarge', 'us-east-1')).toMatchObject({ usdPerHour: 0.922, confirmed: false, derived: 'linear-from-confirmed' });
    expect(priceFor('ml.c5.large', 'us-east-1')!.usdPerHour).toBe(0.102); // §6: half of c5.xlarge
    expect(priceFor('ml.r5.large', 'us-east-1')!.usdPerHour).toBe(0.1513); // §6: r5.2xlarge ÷ 4
  });
});

describe('instance catalog: workloads come from the model enums', () => {
  it('stores each enum exactly as the model orders it, matching the validator\'s compact model', () => {
    const compact = getServiceModel('sagemaker')!;
    for (const w of WORKLOADS) {
      const { shape, values } = workloadEnum(w);
      expect(values).toEqual(model.shapes[shape]!.enum);
      expect(values).toEqual(compact.shapes[shape]!.enum);
    }
  });

  it('workloadsFor follows enum membership', () => {
    expect(workloadsFor('ml.t2.medium')).toEqual(['hosting', 'notebook']);
    expect(workloadsFor('ml.inf1.xlarge')).not.toContain('training');
    expect(workloadsFor('ml.g5.xlarge')).toEqual([...WORKLOADS]);
    expect(workloadsFor('system')).toEqual(['app']);
    expect(workloadsFor('ml.nope.xlarge')).toEqual([]);
    for (const t of getCatalog().instanceTypes) expect(t.workloads).toEqual(workloadsFor(t.name));
  });

  it('listInstanceTypes filters by family, workload and region', () => {
    expect(listInstanceTypes({ family: 'g5' }).map((t) => t.size)).toEqual(['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge']);
    const transform = listInstanceTypes({ workload: 'transform' });
    expect(transform.length).toBe(model.shapes.TransformInstanceType!.enum!.length);
    expect(transform.some((t) => t.category === 'burstable')).toBe(false);
    expect(listInstanceTypes({ family: 'geospatial', region: 'us-east-1' })).toEqual([]);
    expect(listInstanceTypes({ family: 'geospatial', region: 'us-west-2' })).toHaveLength(1);
    expect(listFamilies()).toContain('p6-b200');
    expect(getInstanceType('ml.t2.nano')).toBeUndefined();
  });
});

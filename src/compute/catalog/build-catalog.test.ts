import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateCatalogJson } from '../../../scripts/gen-catalog.js';
import { buildCatalog } from './build-catalog.js';
import { CONFIRMED } from './confirmed.js';
import { deriveShape, parseTypeName, vcpuForSize } from './derive-shape.js';
import { FAMILY_RULES } from './family-rules.js';
import { workloadEnums } from './workload-enums.js';

describe('catalog generation', () => {
  it('instance-types.json is up to date with the model and the rules (run scripts/gen-catalog.ts)', async () => {
    const committed = readFileSync(new URL('./instance-types.json', import.meta.url), 'utf8');
    expect(await generateCatalogJson()).toBe(committed);
  });

  it('refuses a model enum value whose family has no rule', () => {
    const model = { shapes: {} as Record<string, { enum: string[] }> };
    for (const shape of ['TrainingInstanceType', 'ProductionVariantInstanceType', 'ProcessingInstanceType', 'TransformInstanceType', 'AppInstanceType', 'InstanceType']) {
      model.shapes[shape] = { enum: ['ml.m5.large'] };
    }
    expect(buildCatalog(workloadEnums(model)).instanceTypes.map((t) => t.name)).toEqual(['ml.m5.large']);
    model.shapes.TrainingInstanceType = { enum: ['ml.zz9.xlarge'] };
    expect(() => buildCatalog(workloadEnums(model))).toThrow(/family "zz9" has no rule/);
    model.shapes.TrainingInstanceType = { enum: ['ml.g5.3xlarge'] };
    expect(() => buildCatalog(workloadEnums(model))).toThrow(/ml\.g5\.3xlarge: no accelerator count/);
  });

  it('refuses a model without one of the workload enums', () => {
    expect(() => workloadEnums({ shapes: {} })).toThrow(/no enum shape TrainingInstanceType/);
  });
});

describe('shape rules', () => {
  it('vCPU by size name', () => {
    const m5 = FAMILY_RULES.m5!;
    expect([vcpuForSize('large', m5), vcpuForSize('xlarge', m5), vcpuForSize('24xlarge', m5), vcpuForSize('medium', m5)]).toEqual([2, 4, 96, undefined]);
    expect(vcpuForSize('medium', FAMILY_RULES.m8g!)).toBe(1);
    expect(parseTypeName('ml.p6-b200.48xlarge')).toEqual({ family: 'p6-b200', size: '48xlarge' });
    expect(parseTypeName('system')).toBeUndefined();
  });

  it('agree with every confirmed shape (the rules reproduce what the sources say)', () => {
    for (const [name, c] of Object.entries(CONFIRMED)) {
      const { family, size } = parseTypeName(name)!;
      const rule = FAMILY_RULES[family]!;
      const stripped = deriveShape(`${name}-unconfirmed`, size, rule);
      expect([stripped.vcpu, stripped.memoryGiB], name).toEqual([c.vcpu, c.memoryGiB]);
    }
  });
});

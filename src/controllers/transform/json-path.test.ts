import { describe, expect, it } from 'vitest';
import { applyJsonPath, parseJsonPath } from './json-path.js';

const apply = (path: string, v: unknown) => applyJsonPath(v, parseJsonPath(path));

describe('the JSONPath subset of DataProcessing', () => {
  it('selects what SageMaker documents for CSV-as-array and JSON', () => {
    const row = ['id7', '1.5', '2.5', 'x'];
    expect(apply('$', row)).toEqual(row);
    expect(apply('$[1:]', row)).toEqual(['1.5', '2.5', 'x']);
    expect(apply('$[0]', row)).toBe('id7');
    expect(apply('$[-1]', row)).toBe('x');
    expect(apply('$[0,2]', row)).toEqual(['id7', '2.5']);
    expect(apply('$[0,2:]', row)).toEqual(['id7', '2.5', 'x']);
    expect(apply('$[1:3]', row)).toEqual(['1.5', '2.5']);
    const doc = { id: 1, features: [1, 2], data: { x: 3 }, SageMakerOutput: 9 };
    expect(apply('$.features', doc)).toEqual([1, 2]);
    expect(apply('$.data.x', doc)).toBe(3);
    expect(apply("$['id','SageMakerOutput']", doc)).toEqual({ id: 1, SageMakerOutput: 9 });
    expect(apply('$.nope', doc)).toBeUndefined();
  });

  it('refuses what it does not implement', () => {
    for (const p of ['$..x', '$[*]', '$[?(@.a)]', 'features', '$[::2]', '$[']) expect(() => parseJsonPath(p)).toThrow(/JSONPath/);
  });
});

import { describe, expect, it } from 'vitest';
import { pickInstance, pickVariant, RoutingTable, type EndpointRoute, type InstanceRoute } from './routing-table.js';

const inst = (id: string, variant: string, outstanding = 0): InstanceRoute => ({ id, port: 1, variant, outstanding });

const route: EndpointRoute = {
  name: 'ep',
  variants: [
    { name: 'A', weight: 3, instances: [inst('a1', 'A')] },
    { name: 'B', weight: 1, instances: [inst('b1', 'B')] },
    { name: 'C', weight: 5, instances: [] },
  ],
};

describe('pickVariant', () => {
  it('splits by weight among variants that have a healthy instance', () => {
    // total weight of A and B is 4 (C has no instance): [0, 3) → A, [3, 4) → B
    expect(pickVariant(route, undefined, () => 0)?.name).toBe('A');
    expect(pickVariant(route, undefined, () => 0.74)?.name).toBe('A');
    expect(pickVariant(route, undefined, () => 0.76)?.name).toBe('B');
    expect(pickVariant(route, undefined, () => 0.999)?.name).toBe('B');
  });

  it('TargetVariant wins, and an unknown one is undefined', () => {
    expect(pickVariant(route, 'B', () => 0)?.name).toBe('B');
    expect(pickVariant(route, 'Z')).toBeUndefined();
  });

  it('all weights 0: the first variant with an instance still serves', () => {
    const zero: EndpointRoute = { name: 'ep', variants: [{ name: 'A', weight: 0, instances: [] }, { name: 'B', weight: 0, instances: [inst('b1', 'B')] }] };
    expect(pickVariant(zero)?.name).toBe('B');
  });
});

describe('pickInstance', () => {
  it('takes the instance with the fewest requests in flight, skipping the one just tried', () => {
    const busy = inst('x', 'A', 3);
    const idle = inst('y', 'A', 1);
    const v = { name: 'A', weight: 1, instances: [busy, idle] };
    for (let i = 0; i < 5; i++) expect(pickInstance(v)).toBe(idle);
    expect(pickInstance(v, idle)).toBe(busy);
    expect(pickInstance({ name: 'A', weight: 1, instances: [idle] }, idle)).toBeUndefined();
  });
});

describe('RoutingTable', () => {
  it('removeInstance takes one instance out at once, leaving the rest', () => {
    const t = new RoutingTable();
    t.set(route);
    t.removeInstance('ep', 'a1');
    expect(t.get('ep')?.variants.map((v) => v.instances.map((i) => i.id))).toEqual([[], ['b1'], []]);
    t.delete('ep');
    expect(t.get('ep')).toBeUndefined();
  });
});

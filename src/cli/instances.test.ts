import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/config.js';
import { instancesCommand } from './instances.js';

describe('clary instances', () => {
  it('prints the g5 family as a table', () => {
    const out = instancesCommand({ family: 'g5' });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^TYPE\s+VCPU\s+MEM GIB\s+ACCELERATORS\s+\$\/H us-east-1\s+WORKLOADS$/);
    const rows = lines.slice(1, 9);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([
      'ml.g5.xlarge', 'ml.g5.2xlarge', 'ml.g5.4xlarge', 'ml.g5.8xlarge', 'ml.g5.12xlarge', 'ml.g5.16xlarge', 'ml.g5.24xlarge', 'ml.g5.48xlarge',
    ]);
    expect(rows[0]).toMatch(/^ml\.g5\.xlarge\s+4\s+16\s+1× NVIDIA A10G \(24 GiB\)\s+1\.4084\s+training,hosting,processing,transform,app,notebook$/);
    expect(rows[2]).toMatch(/\s~2\.0300\s/); // derived, marked
    expect(rows[7]).toMatch(/^ml\.g5\.48xlarge\s+192\s+768\s+8× NVIDIA A10G \(192 GiB\)\s+20\.3600\s/);
    expect(lines[9]).toBe('');
    expect(out).toContain('8 instance types; on-demand USD per hour in us-east-1.');
    expect(out).toContain('~ marks a derived price');
  });

  it('accepts ml.-prefixed families and filters by workload and region', () => {
    expect(instancesCommand({ family: 'ml.g5' })).toBe(instancesCommand({ family: 'g5' }));
    const transformT = instancesCommand({ workload: 'transform', family: 't3' });
    expect(transformT).toContain('0 instance types');
    const tokyo = instancesCommand({ family: 'p5e', region: 'ap-northeast-1' });
    expect(tokyo).toContain('0 instance types; on-demand USD per hour in ap-northeast-1.');
    expect(instancesCommand({ family: 't3', region: 'eu-west-1' })).toMatch(/ml\.t3\.medium\s+2\s+4\s+-\s+~0\.0560\s/);
  });

  it('prints JSON with the full entries', () => {
    const parsed = JSON.parse(instancesCommand({ family: 'g5', workload: 'hosting', json: true }));
    expect(parsed.region).toBe('us-east-1');
    expect(parsed.instanceTypes).toHaveLength(8);
    expect(parsed.instanceTypes[0]).toMatchObject({ name: 'ml.g5.xlarge', vcpu: 4, memoryGiB: 16, prices: { 'us-east-1': { usdPerHour: 1.4084 } } });
  });

  it.each([
    [{ family: 'g99' }, /^unknown family "g99"; valid families: .*\bg5\b.*\bp6-b200\b/],
    [{ workload: 'inference' }, /^unknown workload "inference"; valid workloads: training, hosting, processing, transform, app, notebook$/],
    [{ region: 'mars-1' }, /^unknown region "mars-1"; valid regions: us-east-1, .*ap-northeast-1$/],
  ])('rejects %o with the valid values', (opts, message) => {
    let err: unknown;
    try {
      instancesCommand(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
  });
});

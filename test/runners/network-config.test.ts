import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { startInstanceNetworks } from '../../src/runners/network/index.js';

describe('private network settings', () => {
  it('are on by default over 10.213.0.0/16; CLARY_PRIVATE_NETWORKS=off and a range can be set; bad values are refused', () => {
    expect(compileConfig({}, {}).network).toEqual({ privateNetworks: true, privateNetworkRange: '10.213.0.0/16' });
    expect(compileConfig({}, { CLARY_PRIVATE_NETWORKS: 'off', CLARY_PRIVATE_NETWORK_RANGE: '172.20.0.0/16' }).network).toEqual({ privateNetworks: false, privateNetworkRange: '172.20.0.0/16' });
    expect(compileConfig({ privateNetworks: false }, {}).network.privateNetworks).toBe(false);
    expect(() => compileConfig({}, { CLARY_PRIVATE_NETWORKS: 'maybe' })).toThrow(/on or off/);
    expect(() => compileConfig({}, { CLARY_PRIVATE_NETWORK_RANGE: '10.213.0.0' })).toThrow(/IPv4 prefix/);
  });

  it('fall back to the host network with a logged reason when off or impossible', async () => {
    const logged: string[] = [];
    const log = createLogger('warn', { write: (line: string) => logged.push(line) } as unknown as NodeJS.WritableStream);
    const base = { owner: '/nonexistent-owner', listen: { host: '127.0.0.1', port: 1 }, log };
    const off = await startInstanceNetworks({ ...base, enabled: false, range: '10.213.0.0/16' });
    expect(off.networks).toBeUndefined();
    const public_ = await startInstanceNetworks({ ...base, enabled: true, range: '8.8.0.0/16' });
    expect(public_.networks).toBeUndefined();
    const hostBits = await startInstanceNetworks({ ...base, enabled: true, range: '10.213.0.1/16' });
    expect(hostBits.networks).toBeUndefined();
    for (const n of [off, public_, hostBits]) await n.close();
    expect(logged.join('')).toMatch(/host bits set/);
    expect(logged.join('')).toMatch(/CLARY_PRIVATE_NETWORKS=off/);
    expect(logged.join('')).toMatch(/8\.8\.0\.0\/16 must be a \/24 or wider inside 10\/8/);
  });
});

import { describe, expect, it } from 'vitest';
import { contains, formatCidr, formatIpv4, isPrivateRange, overlaps, parseCidr, parseIpv4, subnets24 } from './ipv4.js';
import { addressOf, bridgeName, netnsName, parseBridgeName, parseNetnsName, parseVethName, subnetKey, subnetOfKey, vethName } from './names.js';

describe('ipv4', () => {
  it('parses and formats addresses and prefixes, refusing malformed ones and host bits', () => {
    expect(formatIpv4(parseIpv4('10.213.5.254'))).toBe('10.213.5.254');
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(() => parseIpv4('10.213.5')).toThrow();
    expect(() => parseIpv4('10.213.5.256')).toThrow();
    expect(formatCidr(parseCidr('10.213.0.0/16'))).toBe('10.213.0.0/16');
    expect(() => parseCidr('10.213.0.1/16')).toThrow(/host bits/);
    expect(() => parseCidr('10.213.0.0')).toThrow();
    expect(() => parseCidr('10.213.0.0/33')).toThrow();
  });

  it('carves a range into /24s and tells overlaps (what the host routes is never handed out)', () => {
    const subnets = subnets24(parseCidr('10.213.0.0/22'));
    expect(subnets.map(formatCidr)).toEqual(['10.213.0.0/24', '10.213.1.0/24', '10.213.2.0/24', '10.213.3.0/24']);
    expect(subnets24(parseCidr('10.213.0.0/16'))).toHaveLength(256);
    expect(subnets24(parseCidr('10.213.0.0/25'))).toEqual([]);
    expect(overlaps(parseCidr('10.0.0.0/8'), parseCidr('10.213.7.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.213.7.9/32'), parseCidr('10.213.7.0/24'))).toBe(true);
    expect(overlaps(parseCidr('10.88.0.0/16'), parseCidr('10.213.7.0/24'))).toBe(false);
    expect(contains(parseCidr('10.213.7.0/24'), parseIpv4('10.213.7.200'))).toBe(true);
    expect(contains(parseCidr('10.213.7.0/24'), parseIpv4('10.213.8.1'))).toBe(false);
  });

  it('accepts only RFC 1918 ranges', () => {
    expect(isPrivateRange(parseCidr('10.213.0.0/16'))).toBe(true);
    expect(isPrivateRange(parseCidr('172.20.0.0/16'))).toBe(true);
    expect(isPrivateRange(parseCidr('192.168.64.0/20'))).toBe(true);
    expect(isPrivateRange(parseCidr('8.8.0.0/16'))).toBe(false);
    expect(isPrivateRange(parseCidr('10.0.0.0/7'))).toBe(false);
  });
});

describe('kernel names', () => {
  it('derives interface and namespace names from the /24 (within 15 characters) and parses them back', () => {
    const key = subnetKey(parseCidr('10.213.5.0/24'));
    expect(key).toBe('0ad505');
    expect(formatCidr(subnetOfKey(key))).toBe('10.213.5.0/24');
    expect(bridgeName(key)).toBe('clb0ad505');
    expect(vethName(key, 254)).toBe('clv0ad505fe');
    expect(vethName(key, 254).length).toBeLessThanOrEqual(15);
    expect(netnsName(key, 2)).toBe('clary-0ad505-02');
    expect(addressOf(key, 3)).toBe('10.213.5.3');
    expect(parseNetnsName('clary-0ad505-02')).toEqual({ key, host: 2 });
    expect(parseVethName('clv0ad505fe')).toEqual({ key, host: 254 });
    expect(parseBridgeName('clb0ad505')).toBe(key);
    for (const other of ['cni-podman0', 'clb0ad5', 'clary-0ad505-2', 'eth0']) {
      expect(parseNetnsName(other) ?? parseVethName(other) ?? parseBridgeName(other)).toBeUndefined();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { isInternalAddress, isLoopbackAddress } from '../../src/fetch/address-guard.ts';

describe('isInternalAddress', () => {
  it('knows loopback, private, link-local, shared, documentation, multicast and reserved space, in both families', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isInternalAddress(address), address).toBe(true);
    }
  });

  it('lets the public internet through, and is not fooled by neighbours of private ranges', () => {
    for (const address of ['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2a00:1450:4001:80b::200e', '::ffff:8.8.4.4']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
    expect(isInternalAddress('not an address')).toBe(false);
  });

  it('tells this machine apart from the rest of the internal space', () => {
    expect(['127.0.0.1', '127.1.1.1', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '169.254.169.254', 'fd00::1', '8.8.8.8'].some(isLoopbackAddress)).toBe(false);
  });
});

// Where the media proxy may connect. Feeds name their outlets' pictures, so a hostile or careless feed could point the
// proxy at the network it runs in (a cloud metadata address, a database's admin page on localhost). The check is made
// where the connection is made, for every hop of a redirect and on the addresses DNS actually gave, so neither a
// redirect nor a name that resolves inward (or changes between a check and the connection) gets past it.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';

/** Addresses that are not the public internet: loopback, private, link-local, shared, reserved, multicast. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['2001:db8::', 32]] as const) {
  INTERNAL.addSubnet(net, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether an address is inside the machine's or its network's private space (IPv4-mapped IPv6 included). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isInternalAddress(mapped);
  const family = isIP(address);
  return family !== 0 && INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether an address is this machine (127/8, ::1, or an IPv4-mapped loopback). */
export function isLoopbackAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isLoopbackAddress(mapped);
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Decides whether an internal address may be connected to anyway (the operator's own feeds live there). */
export type InternalAllowance = (address: string) => boolean;

/** The code of a refused connection's error, which fetch failures' messages carry. */
export const INTERNAL_ADDRESS_CODE = 'ERR_INTERNAL_ADDRESS';

/** The error a refused connection fails with (a fetch then fails with it as its cause). */
export class InternalAddressError extends Error {
  readonly code = INTERNAL_ADDRESS_CODE;
  constructor(host: string, address: string) {
    super(`refused to connect to ${host} (${address}): an internal address, and no source in feeds.json is served from there`);
  }
}

/**
 * An undici dispatcher (pass it as fetch's `dispatcher`) that refuses connections to internal addresses unless
 * `allow` accepts them: both IP literals and every address a name resolves to.
 */
export function guardedDispatcher(allow: InternalAllowance): Agent {
  const refused = (address: string) => isInternalAddress(address) && !allow(address);
  const lookup = (hostname: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const bad = addresses.find((a) => refused(a.address));
      if (bad) return callback(new InternalAddressError(hostname, bad.address), []);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const connect = buildConnector({ lookup: lookup as never });
  return new Agent({
    connect: (options, callback) => {
      // Node does not look IP literals up, so they are checked here.
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0 && refused(host)) return callback(new InternalAddressError(host, host), null);
      return connect(options, callback);
    },
  });
}

/** How long addresses learnt from DNS for the feeds' host names stay welcome before they are looked up again. */
const FEED_ADDRESSES_MS = 60_000;

/**
 * The internal addresses the operator's own feeds are served from, which a guardedDispatcher lets through. feeds.json's
 * IP literals and "localhost" count at once; host names are resolved only when asked (after a connection was refused
 * as internal), and what that learnt lasts a minute, so feeds on public names cost no lookups. A feed on an internal
 * address (a newsroom's intranet, a test server on 127.0.0.1) makes that address welcome; a feed on this machine makes
 * this machine welcome under any of its names (localhost, 127.0.0.1, ::1).
 */
export class FeedAddresses {
  private hosts: readonly string[] = [];
  private addresses = new Set<string>();
  private loopback = false;
  /** Until when the addresses resolved from DNS hold; 0 while only literals are known. */
  private resolvedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether a connection to this internal address is welcome. */
  allows(address: string): boolean {
    return this.addresses.has(address) || (this.loopback && isLoopbackAddress(address));
  }

  /** Takes the feeds' hosts (an array kept while feeds.json is unchanged): their literal addresses count at once. */
  use(hosts: readonly string[]): void {
    if (hosts === this.hosts && (this.resolvedUntil === 0 || this.resolvedUntil > this.now())) return;
    this.hosts = hosts;
    this.resolvedUntil = 0;
    this.welcome(hosts.flatMap(literalAddresses));
  }

  /** Resolves every feed host (once a minute at most); true when that made an address welcome that was not. */
  async resolve(hosts: readonly string[]): Promise<boolean> {
    this.use(hosts);
    if (this.resolvedUntil > this.now()) return false;
    const before = this.addresses;
    const found = (await Promise.all(hosts.map(resolveAll))).flat();
    this.resolvedUntil = this.now() + FEED_ADDRESSES_MS;
    this.welcome(found);
    return [...this.addresses].some((a) => !before.has(a));
  }

  private welcome(found: readonly string[]): void {
    this.addresses = new Set(found.filter(isInternalAddress));
    this.loopback = [...this.addresses].some(isLoopbackAddress);
  }
}

/** The addresses a host stands for without asking DNS: an IP literal's own, localhost's loopback. */
function literalAddresses(host: string): string[] {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return [bare];
  return bare.toLowerCase() === 'localhost' ? ['127.0.0.1', '::1'] : [];
}

/** Every address a host name (or IP literal) stands for; none when it does not resolve. */
async function resolveAll(host: string): Promise<string[]> {
  const literal = literalAddresses(host);
  if (literal.length > 0) return literal;
  try {
    return (await lookupAll(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}

import { describe, expect, it } from 'vitest';
import { describeTransportError } from '../../src/fetch/network-errors.ts';

const url = new URL('https://news.example.org/feed.xml');

/** What Node's fetch throws: a TypeError('fetch failed') whose cause is the system or undici error. */
function fetchFailed(cause: object): TypeError {
  return new TypeError('fetch failed', { cause });
}

function systemError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('describeTransportError', () => {
  it('names a refused connection by address and keeps the code', () => {
    const error = fetchFailed(systemError('connect ECONNREFUSED 10.0.0.1:443', { code: 'ECONNREFUSED', address: '10.0.0.1', port: 443 }));
    expect(describeTransportError(error, url)).toEqual({ kind: 'network', message: 'fetch: connection refused (10.0.0.1:443) [ECONNREFUSED]' });
  });

  it('brackets IPv6 addresses', () => {
    const error = fetchFailed(systemError('connect ECONNREFUSED ::1:80', { code: 'ECONNREFUSED', address: '::1', port: 80 }));
    expect(describeTransportError(error, url).message).toBe('fetch: connection refused ([::1]:80) [ECONNREFUSED]');
  });

  it('unwraps the AggregateError of happy-eyeballs connects', () => {
    const v6 = systemError('connect ECONNREFUSED ::1:8080', { code: 'ECONNREFUSED', address: '::1', port: 8080 });
    const v4 = systemError('connect ECONNREFUSED 127.0.0.1:8080', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 8080 });
    const error = fetchFailed(new AggregateError([v6, v4], 'connect failed'));
    expect(describeTransportError(error, url).message).toBe('fetch: connection refused ([::1]:8080) [ECONNREFUSED]');
  });

  it('reports DNS failures with the host name', () => {
    const error = fetchFailed(systemError('getaddrinfo ENOTFOUND news.example.org', { code: 'ENOTFOUND', hostname: 'news.example.org' }));
    expect(describeTransportError(error, url)).toEqual({ kind: 'network', message: 'fetch: DNS lookup failed for news.example.org [ENOTFOUND]' });
  });

  it('reports TLS certificate problems with the readable reason', () => {
    const error = fetchFailed(systemError('certificate has expired', { code: 'CERT_HAS_EXPIRED' }));
    expect(describeTransportError(error, url).message).toBe('fetch: TLS error with news.example.org: certificate has expired [CERT_HAS_EXPIRED]');
    const openssl = fetchFailed(
      systemError('80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:\n', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }),
    );
    expect(describeTransportError(openssl, url).message).toBe('fetch: TLS error with news.example.org: wrong version number [ERR_SSL_WRONG_VERSION_NUMBER]');
  });

  it("treats undici's own timers as timeouts", () => {
    const error = fetchFailed(systemError('Connect Timeout Error', { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    expect(describeTransportError(error, url)).toEqual({ kind: 'timeout', message: 'fetch: timed out talking to news.example.org [UND_ERR_CONNECT_TIMEOUT]' });
  });

  it('falls back to the cause message plus the host when nothing more is known', () => {
    expect(describeTransportError(fetchFailed(new Error('bad port')), url)).toEqual({ kind: 'network', message: 'fetch: bad port (news.example.org)' });
    expect(describeTransportError('weird', url).message).toBe('fetch: weird (news.example.org)');
  });
});

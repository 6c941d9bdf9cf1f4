import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, urlIdentity } from '../../src/normalize/canonical-url.ts';
import { isTrackingParam } from '../../src/normalize/tracking-params.ts';

describe('canonicalizeUrl', () => {
  it('lowercases scheme and host, drops the default port and the fragment', () => {
    expect(canonicalizeUrl('HTTPS://News.Example.COM:443/World/Story?id=1#comments')).toBe('https://news.example.com/World/Story?id=1');
    expect(canonicalizeUrl('http://example.com:80/a')).toBe('http://example.com/a');
    expect(canonicalizeUrl('http://example.com:8080/a')).toBe('http://example.com:8080/a');
  });

  it('removes tracking parameters and sorts the rest, keeping their encoding', () => {
    expect(
      canonicalizeUrl('https://example.com/a?utm_source=rss&z=1&fbclid=abc&b=x%20y&UTM_Medium=m&gclid=1&at_medium=x&ns_mchannel=r&a=2'),
    ).toBe('https://example.com/a?a=2&b=x%20y&z=1');
  });

  it('removes the query when only tracking parameters were left', () => {
    expect(canonicalizeUrl('https://example.com/a?utm_campaign=x&ocid=y&mc_cid=1&')).toBe('https://example.com/a');
    expect(canonicalizeUrl('https://example.com/a?')).toBe('https://example.com/a');
  });

  it('sorts repeated parameters by value too, so every spelling gives one canonical form', () => {
    expect(canonicalizeUrl('https://example.com/?tag=b&id=1&tag=a')).toBe('https://example.com/?id=1&tag=a&tag=b');
  });

  it('returns null for non-web and unparseable URLs', () => {
    expect(canonicalizeUrl('mailto:desk@example.com')).toBeNull();
    expect(canonicalizeUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalizeUrl('/relative/path')).toBeNull();
    expect(canonicalizeUrl('')).toBeNull();
  });

  it('gives http and https spellings the same identity', () => {
    expect(urlIdentity('http://Example.com/a?utm_source=x')).toBe(urlIdentity('https://example.com/a'));
    expect(urlIdentity('https://example.com/a')).toBe('example.com/a');
  });
});

describe('isTrackingParam', () => {
  it('matches names and prefixes case-insensitively, and nothing else', () => {
    expect(['utm_content', 'FBCLID', 'msclkid', 'igshid', 'ref_src', '_ga', 'yclid', 'spm', 'dclid', 'cmpid'].every(isTrackingParam)).toBe(true);
    expect(['id', 'page', 'q', 'utm', 'story', 'ref'].some(isTrackingParam)).toBe(false);
  });
});

// Leases and claims, the same on both engines: what lets several pollers share the sources and one of them at a time
// assign stories (src/cluster/). Times here are the caller's (ClaimOptions.now), so expiry is tested without waiting.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimOptions, Storage } from '../../src/store/index.ts';
import { eachEngine } from '../helpers/engines.ts';

const NOW = Date.UTC(2026, 4, 20, 12);
const LEASE = 10_000;

eachEngine('leases', (ctx) => {
  let store: Storage;
  // Sources on three hosts: a.example has four, b.example one, c.example:8080 one (the port makes it a host of its own).
  const SOURCES = [
    { id: 'a1', url: 'https://a.example/1', priority: 0 },
    { id: 'a2', url: 'https://a.example/2', priority: 0 },
    { id: 'a3', url: 'https://a.example/3', priority: 0 },
    { id: 'a4', url: 'https://a.example/4', priority: 0 },
    { id: 'b1', url: 'https://b.example/1', priority: 0 },
    { id: 'c1', url: 'https://c.example:8080/1', priority: 0 },
  ];
  const ids = SOURCES.map((s) => s.id);
  /** What a poller whose config lists only `listed` skips. */
  const except = (listed: string[]) => ids.filter((id) => !listed.includes(id));
  const as = (holder: string, over: Partial<ClaimOptions> = {}): ClaimOptions => ({ holder, now: NOW, until: NOW + LEASE, perHost: 2, isDead: () => false, ...over });

  beforeEach(async () => {
    store = await ctx.open();
    await store.syncSources(SOURCES);
  });

  describe('claiming due sources', () => {
    it('gives each source to one poller, and at most perHost of a host at once across pollers', async () => {
      const first = await store.claimDueSources(3, as('p1'));
      const second = await store.claimDueSources(10, as('p2'));
      expect(first).toEqual(['a1', 'a2', 'b1']);
      // a.example already has two leased (by p1): p2 gets none of its sources, only the free hosts'.
      expect(second).toEqual(['c1']);
      expect(new Set([...first, ...second]).size).toBe(first.length + second.length);
      expect(await store.claimDueSources(10, as('p3'))).toEqual([]);
      expect((await store.sourceState('a1'))).toMatchObject({ leaseHolder: 'p1', leaseUntil: NOW + LEASE });
    });

    it('frees a host slot when a poll gives its source back, and leaves a source polled since alone until due', async () => {
      await store.claimDueSources(2, as('p1', { perHost: 1 }));
      await store.recordSuccess('a1', { at: NOW, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: NOW + 900_000, permanentRedirect: null });
      await store.releaseSource('a1', 'p1');
      // a1 was polled and is not due; a2 is, now that a.example has a free slot.
      expect(await store.claimDueSources(10, as('p2', { perHost: 1 }))).toEqual(['a2', 'c1']);
      expect(await store.claimDueSources(1, as('p2', { now: NOW + 899_999 }), except(['a1']))).toEqual([]);
      expect(await store.claimDueSources(1, as('p2', { now: NOW + 900_000, until: NOW + 910_000 }), except(['a1']))).toEqual(['a1']);
    });

    it('takes a source back once its lease expired, or at once when its holder is known dead', async () => {
      expect(await store.claimDueSources(1, as('p1'), except(['a1']))).toEqual(['a1']);
      expect(await store.claimDueSources(1, as('p2', { now: NOW + LEASE - 1 }), except(['a1']))).toEqual([]);
      expect(await store.claimDueSources(1, as('p2', { isDead: (h) => h === 'p1' }), except(['a1']))).toEqual(['a1']);
      expect(await store.claimDueSources(1, as('p3', { now: NOW + 2 * LEASE, until: NOW + 3 * LEASE }), except(['a1']))).toEqual(['a1']);
      expect((await store.sourceState('a1'))?.leaseHolder).toBe('p3');
    });

    it('keeps a lease alive while its holder renews it, and gives every lease back when the holder stops', async () => {
      await store.claimDueSources(10, as('p1', { perHost: 10 }));
      expect(await store.renewSourceLeases('p1', NOW + 5 * LEASE)).toBe(6);
      expect(await store.claimDueSources(10, as('p2', { now: NOW + 2 * LEASE }))).toEqual([]);
      await store.releaseSourceLeases('p1');
      expect(await store.claimDueSources(10, as('p2', { perHost: 10 }))).toHaveLength(6);
    });

    it('claims one named source whether due or not, and says why it cannot', async () => {
      await store.recordSuccess('b1', { at: NOW, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: NOW + 900_000, permanentRedirect: null });
      expect(await store.claimSource('b1', { ...as('p1'), dueOnly: true })).toBe('not-due');
      expect(await store.claimSource('b1', { ...as('p1'), dueOnly: false })).toBeNull();
      expect(await store.claimSource('b1', { ...as('p2'), dueOnly: false })).toBe('leased');
      await store.claimDueSources(2, as('p1'), except(['a1', 'a2']));
      expect(await store.claimSource('a3', { ...as('p2'), dueOnly: true })).toBe('host-busy');
    });

    it('counts a permanently moved source against the host it moved to', async () => {
      await store.recordSuccess('b1', { at: NOW - 1, httpStatus: 200, etag: null, lastModified: null, nextFetchAt: NOW - 1, permanentRedirect: 'https://a.example/moved' });
      expect(await store.claimDueSources(10, as('p1', { perHost: 1 }), except(['a1', 'b1']))).toEqual(['a1']);
      expect(await store.claimDueSources(10, as('p2', { perHost: 2 }), except(['c1', 'b1']))).toEqual(['c1', 'b1']);
    });
  });

  describe('named leases', () => {
    it('are held by one holder at a time until they expire, unless renewed; a dead holder loses them at once', async () => {
      expect((await store.acquireLease('clustering', 'p1', NOW, NOW + LEASE, () => false)).holder).toBe('p1');
      expect((await store.acquireLease('clustering', 'p2', NOW + 1, NOW + LEASE, () => false)).holder).toBe('p1');
      expect(await store.renewLease('clustering', 'p1', NOW + 2 * LEASE)).toBe(true);
      expect(await store.renewLease('clustering', 'p2', NOW + 2 * LEASE)).toBe(false);
      expect((await store.acquireLease('clustering', 'p2', NOW + LEASE + 1, NOW + 3 * LEASE, () => false)).holder).toBe('p1');
      expect((await store.acquireLease('clustering', 'p2', NOW + 2 * LEASE + 1, NOW + 3 * LEASE, () => false)).holder).toBe('p2');
      expect((await store.acquireLease('clustering', 'p3', NOW + 2 * LEASE + 2, NOW + 3 * LEASE, (h) => h === 'p2')).holder).toBe('p3');
      // The old holder's renewal, inside its transaction, fails: what it was about to commit rolls back.
      await expect(store.transaction(async (tx) => {
        if (!(await tx.renewLease('clustering', 'p2', NOW + 4 * LEASE))) throw new Error('lost');
      })).rejects.toThrow('lost');
      await store.releaseLease('clustering', 'p2');
      expect(await store.lease('clustering')).toMatchObject({ holder: 'p3' });
      await store.releaseLease('clustering', 'p3');
      expect(await store.lease('clustering')).toBeUndefined();
    });
  });

  describe('the stories counter', () => {
    it('moves when a transaction that changed stories commits, not when it rolls back', async () => {
      const before = await store.storiesVersion();
      await store.transaction(async (tx) => tx.noteStoriesChanged());
      const after = await store.storiesVersion();
      expect(after).not.toBe(before);
      await store.transaction(async (tx) => {
        await tx.noteStoriesChanged();
        throw new Error('roll back');
      }).catch(() => {});
      expect(await store.storiesVersion()).toBe(after);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { timelineTicks } from '../../src/server/views/timeline.tsx';

const H = 3_600_000;

describe('timelineTicks', () => {
  it('labels clock times on UTC step boundaries, with the day under the first tick and where the day changes', () => {
    const start = Date.UTC(2026, 4, 20, 21, 40);
    expect(timelineTicks(start, start + 4 * H + 20 * 60_000)).toEqual([
      { at: Date.UTC(2026, 4, 20, 22), label: '22:00', day: '20 May' },
      { at: Date.UTC(2026, 4, 20, 23), label: '23:00', day: null },
      { at: Date.UTC(2026, 4, 21, 0), label: '00:00', day: '21 May' },
      { at: Date.UTC(2026, 4, 21, 1), label: '01:00', day: null },
      { at: Date.UTC(2026, 4, 21, 2), label: '02:00', day: null },
    ]);
  });

  it('labels days alone once the span is a few days', () => {
    const start = Date.UTC(2026, 4, 20, 9);
    expect(timelineTicks(start, start + 3 * 24 * H)).toEqual([
      { at: Date.UTC(2026, 4, 21), label: '21 May', day: null },
      { at: Date.UTC(2026, 4, 22), label: '22 May', day: null },
      { at: Date.UTC(2026, 4, 23), label: '23 May', day: null },
    ]);
  });

  it('never draws more than five ticks, over any span', () => {
    const start = Date.UTC(2026, 0, 1, 0, 7);
    // Decades too: an outlet can date a report 1970 (a zero timestamp) beside today's.
    for (const span of [H, 5 * H, 30 * H, 10 * 24 * H, 100 * 24 * H, 900 * 24 * H, 20 * 365 * 24 * H, 56 * 365 * 24 * H]) {
      const ticks = timelineTicks(start, start + span);
      expect(ticks.length, `span ${span}`).toBeGreaterThan(0);
      expect(ticks.length, `span ${span}`).toBeLessThanOrEqual(5);
    }
  });
});

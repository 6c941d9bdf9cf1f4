import { describe, expect, it } from 'vitest';
import { headlineKey, isLiveTitle, stripDressing } from '../../src/stories/headline.ts';

describe('stripDressing', () => {
  it.each([
    ['LIVE: Storm batters the coast as thousands lose power', 'Storm batters the coast as thousands lose power'],
    ['WATCH: Storm batters the coast as thousands lose power', 'Storm batters the coast as thousands lose power'],
    ['BREAKING: Storm batters the coast as thousands lose power', 'Storm batters the coast as thousands lose power'],
    ['UPDATE 2-Storm batters the coast as thousands lose power', 'Storm batters the coast as thousands lose power'],
    ['Analysis: Storm batters the coast as thousands lose power', 'Storm batters the coast as thousands lose power'],
    ['Storm batters the coast as thousands lose power - BBC News', 'Storm batters the coast as thousands lose power'],
    ['Storm batters the coast as thousands lose power | DW', 'Storm batters the coast as thousands lose power'],
  ])('%s', (dressed, plain) => expect(stripDressing(dressed)).toBe(plain));

  it('keeps a hyphenated headline whole', () => {
    expect(stripDressing('Face-to-face talks - what we know so far about the summit plans')).toContain('what we know');
  });
});

describe('headlineKey', () => {
  it('matches across case, quotes and punctuation', () => {
    expect(headlineKey('Storm batters the coast, as thousands lose power', ''))
      .toBe(headlineKey('STORM BATTERS THE COAST AS "THOUSANDS" LOSE POWER - Reuters', ''));
  });

  it('needs the lede when the headline is short, and gives no key without one', () => {
    expect(headlineKey('Live updates', '')).toBeNull();
    expect(headlineKey('Live updates', 'Storm news')).not.toBe(headlineKey('Live updates', 'Election news'));
  });
});

describe('isLiveTitle', () => {
  it('recognises live blogs however the outlet marks them', () => {
    for (const t of ['LIVE: Polls close in the east', 'Live updates: storm makes landfall', 'Election live: first results', 'Ukraine war live - latest', 'Live coverage and updates from the summit', 'Budget day as it happened']) {
      expect(isLiveTitle(t), t).toBe(true);
    }
  });

  it('does not take the word live for a live blog', () => {
    for (const t of ['Live Nation faces antitrust lawsuit', 'Live music venues close across the city', 'Where to live: rents soar in the capital', 'Residents live in fear after floods', 'Deliver the goods']) {
      expect(isLiveTitle(t), t).toBe(false);
    }
  });
});

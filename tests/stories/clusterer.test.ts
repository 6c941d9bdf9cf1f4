import { describe, expect, it } from 'vitest';
import { entrySearchTerms, loadAliases, normalizeForMatch, StoryClusterer, type ClusterDoc, type Decision } from '../../src/stories/index.ts';
import { DEFAULT_FEATURES } from '../../src/stories/options.ts';
import { analyzeEntry } from '../../src/stories/vector.ts';
import { background, doc, HOUR, T0 } from './fixtures.ts';

// Story ids are never reused across runs: a run on a warmed clusterer must not add to the background's stories.
let next = 1000;

/** Runs entries through the clusterer as the service does; returns the story of each entry and the decisions. */
function run(docs: ClusterDoc[], c = new StoryClusterer()) {
  const story = new Map<number, number>();
  const decisions: Decision[] = [];
  for (const d of docs) {
    const decision = c.decide(d);
    const id = decision.storyId ?? next++;
    c.add(d, id);
    story.set(d.entryId, id);
    decisions.push(decision);
  }
  return { story, decisions, c };
}

/** A clusterer that already holds the day's unrelated news (as after the start-up replay). */
function warm(): StoryClusterer {
  return run(background()).c;
}

const same = (s: Map<number, number>, a: ClusterDoc, b: ClusterDoc) => s.get(a.entryId) === s.get(b.entryId);

describe('StoryClusterer: one story told three ways', () => {
  const bbc = doc('bbc', 'Zelensky calls for face-to-face talks with Putin',
    'Ukraine\'s President Volodymyr Zelensky said he was ready to meet Vladimir Putin in person to end the war, urging the Kremlin leader to agree to direct talks.', 0);
  const aj = doc('aljazeera', 'Zelenskyy wants direct talks with Putin but Russian leader appears unwilling',
    'Ukrainian President Volodymyr Zelenskyy has repeated his call for a face-to-face meeting with Vladimir Putin, but Moscow signalled it saw no basis for such talks.', 2);
  const dw = doc('dw', "Kremlin cool on Zelenskiy's offer of a meeting with Putin",
    "The Kremlin responded coolly to Volodymyr Zelenskiy's proposal of direct talks with Vladimir Putin, saying a meeting of the two presidents had to be prepared first.", 5);

  it('groups BBC, Al Jazeera and DW into one story, in any arrival order', () => {
    for (const order of [[bbc, aj, dw], [dw, aj, bbc], [aj, dw, bbc]]) {
      const { story } = run(order, warm());
      expect(same(story, bbc, aj) && same(story, aj, dw)).toBe(true);
    }
  });

  it('gives the similar layer as the reason', () => {
    const { decisions } = run([bbc, aj], warm());
    expect(decisions[1].reason).toBe('similar');
    expect(decisions[1].score).toBeGreaterThan(0);
  });
});

describe('StoryClusterer: hard negatives', () => {
  it('keeps apart the same people in different events', () => {
    const xi = doc('reuters', 'Putin meets Xi in Beijing as Russia and China deepen ties',
      'Vladimir Putin arrived in Beijing for talks with Xi Jinping on energy and trade, his first foreign trip of the new term.', 0);
    const zel = doc('bbc', 'Zelensky wants talks with Putin',
      'Volodymyr Zelensky said he was ready to meet Vladimir Putin face to face to end the war in Ukraine.', 3);
    const { story } = run([xi, zel], warm());
    expect(same(story, xi, zel)).toBe(false);
  });

  it('keeps apart two earthquakes days apart', () => {
    const a = doc('ap', 'Magnitude 6.8 earthquake strikes Japan, no tsunami warning',
      'A strong earthquake shook northern Japan on Monday, damaging roads in Aomori prefecture, officials said.', 0);
    const b = doc('afp', 'Strong earthquake hits Peru, killing at least five',
      'A magnitude 6.1 earthquake struck southern Peru on Thursday, collapsing homes near Arequipa.', 70);
    const { story } = run([a, b], warm());
    expect(same(story, a, b)).toBe(false);
  });

  it('keeps apart two different articles of one outlet on one subject', () => {
    const a = doc('bbc', 'Ukraine war: drone attack hits Odesa port', 'A Russian drone attack damaged grain silos in the port of Odesa overnight, officials said.', 0);
    const b = doc('bbc', 'Ukraine war: Odesa residents return to damaged port district', 'Residents of Odesa returned to the port district to clear debris after the overnight drone attack on grain silos.', 4);
    const { story } = run([a, b], warm());
    expect(same(story, a, b)).toBe(false);
  });

  it('merges an outlet\'s own update of an article', () => {
    const a = doc('bbc', 'Drone attack hits Odesa port, damaging grain silos', 'A Russian drone attack damaged grain silos in the port of Odesa overnight, officials said.', 0);
    const b = doc('bbc', 'Drone attack hits Odesa port, damaging grain silos and killing two', 'A Russian drone attack damaged grain silos in the port of Odesa overnight, killing two, officials said.', 1);
    const { story } = run([a, b], warm());
    expect(same(story, a, b)).toBe(true);
  });

  it('does not merge on common words alone', () => {
    const a = doc('bbc', 'Russia and Ukraine hold talks', 'Officials from Russia and Ukraine held talks on Tuesday.', 0);
    const b = doc('dw', 'Ukraine says Russia talks on prisoner swap stalled', 'Kyiv accused Moscow of stalling a prisoner exchange agreed in March.', 2);
    const c = new StoryClusterer();
    // Enough Russia/Ukraine news around to make those words common.
    run(Array.from({ length: 30 }, (_, i) => doc(`w${i % 6}`, `Russia Ukraine talks item ${['grain', 'energy', 'sanctions', 'drones', 'refugees'][i % 5]} ${i}`, `Ukraine Russia update number ${i}.`, -30 + i)), c);
    const { story } = run([a, b], c);
    expect(same(story, a, b)).toBe(false);
  });
});

describe('StoryClusterer: one outlet, several pieces on one event', () => {
  const reuters = doc('reuters', 'Volcano erupts on La Palma in the Canary Islands, lava destroys homes',
    'The Cumbre Vieja volcano on La Palma erupted on Sunday, sending lava towards villages and forcing thousands of residents to leave.', 0);
  const bbcFirst = doc('bbc', 'La Palma: Cumbre Vieja volcano erupts after week of earthquakes',
    'Lava is flowing from the Cumbre Vieja volcano on the Spanish island of La Palma, and about 5,000 people have been evacuated.', 1);
  const bbcFollowUp = doc('bbc', 'Spanish prime minister visits La Palma as evacuations continue',
    'Pedro Sanchez arrived on La Palma on Monday, where the eruption of Cumbre Vieja has destroyed about 100 homes.', 20);

  it("joins an outlet's follow-up to its story when another outlet's report vouches for the event", () => {
    const { story } = run([reuters, bbcFirst, bbcFollowUp], warm());
    expect(same(story, reuters, bbcFirst)).toBe(true);
    expect(same(story, bbcFirst, bbcFollowUp)).toBe(true);
  });

  it('keeps the follow-up apart without the other outlet (one outlet alone: only updates merge)', () => {
    const { story } = run([bbcFirst, bbcFollowUp], warm());
    expect(same(story, bbcFirst, bbcFollowUp)).toBe(false);
  });

  it("keeps apart an outlet's article on another event, even where another outlet vouches for the first", () => {
    const other = doc('bbc', 'Canary Islands tourism recovers as summer bookings return',
      'Hotels on Tenerife and Gran Canaria report bookings close to pre-pandemic levels, the islands tourism board said.', 3);
    const { story } = run([reuters, bbcFirst, other], warm());
    expect(same(story, bbcFirst, other)).toBe(false);
  });

  it("gathers an outlet's live-blog entries on one event into one story, and keeps another live blog apart", () => {
    const live = [
      ['LIVE: Total solar eclipse crosses Mexico and Texas', 'The Moon begins to cover the Sun over the Pacific coast of Mexico.'],
      ['LIVE: Eclipse totality reaches Dallas', 'Crowds in Dallas fell silent as the sky darkened for almost four minutes.'],
      ['LIVE: Clouds part for eclipse watchers in Indianapolis', 'Skies cleared over Indiana minutes before totality.'],
      ['LIVE: Solar eclipse ends over Newfoundland', 'The shadow of the Moon leaves North America over the Atlantic.'],
    ].map(([t, s], i) => doc('nbc', t, s, i));
    const election = doc('nbc', 'LIVE: Polls close in Indiana primary election', 'Results from the Indiana primary are coming in.', 2);
    const { story } = run([...live.slice(0, 2), election, ...live.slice(2)], warm());
    for (const d of live.slice(1)) expect(same(story, live[0], d)).toBe(true);
    expect(same(story, live[0], election)).toBe(false);
  });

  const dw = doc('dw', 'Lava from La Palma volcano forces thousands to flee',
    'Thousands of people fled their homes on La Palma as lava from the Cumbre Vieja volcano advanced on Sunday.', 2);

  it("takes no second article of an outlet it holds once a story is large (chaining is bounded), but still its updates", () => {
    const order = [reuters, bbcFirst, dw, bbcFollowUp];
    const open = run(order, warm()).story;
    const bounded = run(order, run(background(), new StoryClusterer({ chainLimit: 3 })).c).story;
    expect(same(open, bbcFirst, bbcFollowUp)).toBe(true);
    expect(same(bounded, reuters, dw)).toBe(true);
    expect(same(bounded, bbcFirst, bbcFollowUp)).toBe(false);
    // An edit of the outlet's first piece still fits the large story it shares with the outlet's follow-up.
    const { c, story } = run([reuters, bbcFirst, dw, bbcFollowUp], run(background(), new StoryClusterer({ chainLimit: 4 })).c);
    expect(same(story, bbcFirst, bbcFollowUp)).toBe(true);
    const edited = { ...bbcFirst, summary: `${bbcFirst.summary} Flights to the island were cancelled.` };
    expect(c.joins(c.fit(edited, story.get(bbcFirst.entryId)!))).toBe(true);
  });

  it('holds the same terms whether entries were decided then added or only added (replayed)', () => {
    const docs = [reuters, bbcFirst, dw, bbcFollowUp, ...background()];
    for (const opts of [{}, { features: { summary: 0 } }, { features: { entityBoost: 0 } }]) {
      const decided = run(docs, new StoryClusterer(opts)).c;
      const replayed = new StoryClusterer(opts);
      for (const d of docs) replayed.add(d, decided.storyOfEntry(d.entryId)!);
      expect(replayed.size).toEqual(decided.size);
    }
  });
});

describe('StoryClusterer: scripts written without spaces', () => {
  const zhA = doc('dw-zh', '强烈地震袭击日本北部 多人受伤', '日本北部周一发生强烈地震，多栋房屋倒塌，数十人受伤。', 0);
  const zhB = doc('bbc-zh', '日本北部发生强烈地震 房屋倒塌', '周一的强烈地震造成日本北部房屋倒塌，当局说有人受伤。', 2);
  const enA = doc('ap', 'Strong earthquake hits northern Japan, dozens hurt', 'A strong earthquake struck northern Japan on Monday, collapsing houses and injuring dozens.', 0);
  const enB = doc('afp', 'Northern Japan earthquake collapses houses', 'Houses collapsed in northern Japan after a strong earthquake on Monday, officials said.', 2);
  const scoreOf = (a: ClusterDoc, b: ClusterDoc, bigramScale: number) => {
    const c = run(background(), new StoryClusterer({ bigramScale })).c;
    c.add(a, 1);
    return c.decide(b).score;
  };

  it('scales character-bigram scores by bigramScale (bigrams dilute the cosine), and only theirs', () => {
    const plain = scoreOf(zhA, zhB, 1);
    const calibrated = scoreOf(zhA, zhB, 0.8);
    expect(plain).toBeGreaterThan(0);
    expect(plain).toBeLessThan(0.8);
    expect(calibrated).toBeCloseTo(Math.min(1, plain / 0.8), 2);
    expect(scoreOf(enA, enB, 0.8)).toBe(scoreOf(enA, enB, 1));
  });
});

describe('StoryClusterer: layers 1 and 2', () => {
  it('joins the same canonical URL from two sources', () => {
    const a = doc('ap', 'Storm batters coast', 'Winds of 150 km/h hit the coast.', 0, 'https://apnews.com/article/storm-1');
    const b = doc('yahoo', 'A different syndicated headline', '', 1, 'https://apnews.com/article/storm-1');
    const { story, decisions } = run([a, b], warm());
    expect(same(story, a, b)).toBe(true);
    expect(decisions[1]).toEqual({ storyId: story.get(a.entryId), reason: 'url', score: 1 });
  });

  it('joins the same headline dressed by two outlets', () => {
    const a = doc('reuters', 'UPDATE 2-Storm batters the coast as thousands lose power', 'Winds hit the coast.', 0);
    const b = doc('bbc', 'Storm batters the coast as thousands lose power - BBC News', 'Power cuts across the region.', 3);
    const { decisions } = run([a, b], warm());
    expect(decisions[1].reason).toBe('headline');
  });
});

describe('StoryClusterer: time', () => {
  const a = doc('bbc', 'Zelensky calls for face-to-face talks with Putin', 'Volodymyr Zelensky said he was ready to meet Vladimir Putin.', 0);
  const late = doc('dw', 'Zelensky calls for face-to-face talks with Putin', 'Volodymyr Zelensky said he was ready to meet Vladimir Putin.', 100);

  it('never joins a story beyond the window, even with the same headline', () => {
    const { story } = run([a, late], warm());
    expect(same(story, a, late)).toBe(false);
  });

  it('honours a configured window (with the closeness decay off, so only the window decides)', () => {
    const { story } = run([a, late], run(background(), new StoryClusterer({ windowHours: 120, decayHours: 0 })).c);
    expect(same(story, a, late)).toBe(true);
  });

  it('uses publication time, not arrival: a late-arriving older entry still joins', () => {
    const x = doc('bbc', 'Zelensky calls for face-to-face talks with Putin', 'Volodymyr Zelensky said he was ready to meet Vladimir Putin.', 10);
    const y = doc('dw', 'Zelenskyy wants direct talks with Putin', 'Volodymyr Zelenskyy repeated his call to meet Vladimir Putin face to face.', 8);
    const { story } = run([x, y], warm());
    expect(same(story, x, y)).toBe(true);
  });

  it('judges each call by its own time, even for a text it has just analysed', () => {
    const c = warm();
    run([a], c);
    const near = doc('dw', a.title, a.summary, 2);
    expect(c.decide(near).storyId).not.toBeNull();
    expect(c.decide({ ...near, publishedAt: near.publishedAt + 200 * HOUR }).storyId).toBeNull();
  });

  it('prune drops stories older than the window so they take no new entries', () => {
    const c = warm();
    run([a], c);
    const before = c.size.entries;
    c.prune(T0 + 80 * HOUR);
    expect(c.size.entries).toBeLessThan(before);
    const again = doc('dw', a.title, a.summary, 1);
    expect(c.decide(again).storyId).toBeNull();
  });
});

describe('StoryClusterer: determinism and replay', () => {
  it('gives the same decisions for the same input', () => {
    const docs = [...background(), ...background().map((d) => ({ ...d, entryId: d.entryId + 10000, sourceId: 'copy' }))];
    // Story ids differ between runs; which entries share a story, and every reason and score, do not.
    const shape = (r: ReturnType<typeof run>) => ({
      decisions: r.decisions.map((d) => ({ ...d, storyId: d.storyId === null ? null : docs.findIndex((x) => r.story.get(x.entryId) === d.storyId) })),
      together: docs.map((d) => docs.findIndex((x) => r.story.get(x.entryId) === r.story.get(d.entryId))),
    });
    expect(shape(run(docs))).toEqual(shape(run(docs)));
  });

  it('decide does not change state', () => {
    const c = warm();
    const d = doc('x', 'Central bank holds interest rates steady', 'The central bank kept its rate unchanged.', 0);
    expect(c.decide(d)).toEqual(c.decide(d));
    expect(c.size.entries).toBe(background().length);
  });

  it('replayed assignments (add without decide) are joined by new entries', () => {
    const c = new StoryClusterer();
    for (const d of background()) c.add(d, 7);
    const d = doc('x', 'Heatwave grips southern Europe as temperatures top 40C', 'Red alerts in Spain and Italy.', 0);
    expect(c.decide(d).storyId).toBe(7);
  });

  it('re-adding an edited entry replaces it instead of counting it twice', () => {
    const c = warm();
    const d = doc('x', 'Storm batters coast', 'Winds hit.', 0);
    c.add(d, 5);
    c.add({ ...d, title: 'Storm batters coast, thousands without power' }, 5);
    expect(c.size.entries).toBe(background().length + 1);
  });
});

describe('StoryClusterer: bad input', () => {
  const odd = [
    doc('a', '', ''),
    doc('b', 'Breaking', ''),
    doc('c', 'PRESIDENT SIGNS EMERGENCY DECREE ON ENERGY PRICES', ''),
    doc('d', 'Q&amp;A: what the &quot;deal&quot; means &#8212; explained', ''),
    doc('e', '🔥🚀💥', '😀'),
    doc('f', 'مفاوضات السلام في جنيف تنتهي دون اتفاق', 'انتهت جولة المفاوضات'),
    doc('g', '东京举行大规模抗议活动', '数千人走上街头'),
    doc('h', 'Long summary', 'word '.repeat(10_000) + 'Zelensky Putin talks '.repeat(500)),
  ];

  it('decides every entry without throwing and gives each a story', () => {
    const { story, decisions } = run(odd, warm());
    expect(decisions).toHaveLength(odd.length);
    expect(story.size).toBe(odd.length);
  });

  it('does not merge these unrelated entries', () => {
    const { story } = run(odd, warm());
    expect(new Set(story.values()).size).toBe(odd.length);
  });

  it('never collapses 200 unrelated short titles into one story', () => {
    const words = ['river', 'budget', 'orchestra', 'satellite', 'vaccine', 'harbour', 'glacier', 'senate', 'marathon', 'bakery',
      'volcano', 'museum', 'pipeline', 'tariff', 'comet', 'festival', 'mine', 'court', 'reef', 'tunnel'];
    const docs = Array.from({ length: 200 }, (_, i) => doc(`s${i % 7}`, `${words[i % 20]} ${words[(i * 7 + 3) % 20]} ${i}`, '', i * 0.1));
    const { story } = run(docs);
    const sizes = new Map<number, number>();
    for (const id of story.values()) sizes.set(id, (sizes.get(id) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBeLessThan(10);
  });
});

describe('StoryClusterer: search terms from the analysis it decides with', () => {
  const aliases = loadAliases();
  const headline = 'Zelenskiy meets Erdoğan in Kiev';
  const short = 'The U.S. and UN said 1,000 officials were in Zürich.';
  // Longer than the lede clustering reads (600 characters): search still indexes all of it.
  const long = `${'Officials met again. '.repeat(30)}Only the tail names Łódź.`;

  it.each([['a summary within the lede', short], ['a summary longer than the lede', long]])('gives entrySearchTerms for %s', (_, summary) => {
    const c = new StoryClusterer({ aliases });
    const d = { ...doc('bbc', headline, summary, 0), entryId: 7 };
    expect(c.searchTerms(d)).toEqual(entrySearchTerms(headline, summary, aliases));
    expect(c.searchTerms(d)).toContain('kyiv');
  });

  it('indexes the tail of a long summary, which clustering does not read', () => {
    const c = new StoryClusterer({ aliases });
    expect(c.searchTerms({ ...doc('bbc', headline, long, 0), entryId: 8 })).toContain('lodz');
  });

  it('reads the headline apart from the summary, as clustering does: no alias runs from one into the other', () => {
    expect(entrySearchTerms('Fighters of Islamic', 'State fled', aliases)).toEqual(['fighter', 'islam', 'state', 'fled']);
    expect(normalizeForMatch('Fighters of Islamic State fled', aliases)).toContain('isis');
  });
});

describe('StoryClusterer: one story in Russian, Ukrainian and English', () => {
  const aliases = loadAliases();
  const names = ['zelensky', 'putin', 'kyiv'];
  const vectorTerms = (title: string, summary: string) => new Set(analyzeEntry(title, summary, aliases, DEFAULT_FEATURES).weights.keys());
  const en = vectorTerms('Zelensky meets Putin envoy in Kyiv', "Ukraine's president Volodymyr Zelensky received an envoy of Vladimir Putin in Kyiv on Monday.");
  // Oblique cases, as Russian and Ukrainian headlines name people and places.
  const ru = vectorTerms('Зеленский встретился с посланником Путина в Киеве', 'Президент Украины принял в Киеве посланника Владимира Путина.');
  const uk = vectorTerms('Зеленський зустрівся з посланцем Путіна у Києві', 'Президент України прийняв у Києві посланця Володимира Путіна.');

  it('gives the entries the same name terms in their vectors', () => {
    for (const terms of [en, ru, uk]) for (const name of names) expect(terms).toContain(name);
  });

  it('keeps the name terms apart from what the Russian and Ukrainian texts otherwise say', () => {
    // The shared terms are the names (Владимира is Vladimir too), not a collapse of every Cyrillic word into one term.
    const shared = [...ru].filter((t) => en.has(t));
    expect(shared.sort()).toEqual([...names, 'ukraine', 'vladimir'].sort());
    expect(ru.size).toBeGreaterThan(6);
  });
});

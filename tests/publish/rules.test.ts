import { describe, expect, it } from 'vitest';
import { compileRules, findRuleProblems, prepareMatchText } from '../../src/publish/rules.ts';
import { ConfigError, parseConfig, parseTermSyntax } from '../../src/config/index.ts';
import { loadAliases } from '../../src/stories/index.ts';

const aliases = loadAliases();
const include = (...terms: string[]) => compileRules({ include: terms, exclude: [] }, aliases);

describe('compileRules: include terms', () => {
  it.each([
    ['Zelensky', 'Zelenskyy meets EU leaders'],
    ['Kiev', 'Explosions heard in Kyiv'],
    ['zurich', 'Floods in Zürich'],
    ['Zürich', 'FLOODS IN ZURICH'],
    ['talks', 'Peace talk resumes'],
    ['Iran', 'Iranian drones shot down'],
    ['Putin', 'Путин заявил'],
    ['Islamic State', 'Daesh claims attack'],
    ['"Bank of England"', 'The Bank of England raised rates'],
    ['/\\bF-16s?\\b/', 'Ukraine receives F-16 jets'],
    ['/covid/i', 'COVID cases rise'],
  ])('%s matches %j', (term, text) => {
    expect(include(term)(text)).toBe(true);
  });

  it.each([
    ['Iran', 'Tirana mayor re-elected'],
    ['Ukraine', 'Ukrainetown fair opens'],
    ['"Bank of England"', 'England bank holiday'],
    ['/covid/', 'COVID cases rise'],
    ['US', 'they told us about it'],
    ['Kyiv Zelensky', 'Kyiv hit by drones'],
  ])('%s does not match %j', (term, text) => {
    expect(include(term)(text)).toBe(false);
  });

  it('selects on any include term, and everything when there is none', () => {
    expect(include('Kyiv', 'Gaza')('Ceasefire talks in Gaza')).toBe(true);
    expect(compileRules({ include: [], exclude: [] }, aliases)('anything at all')).toBe(true);
  });

  it('requires every word of an unquoted multi-word term, in any order', () => {
    expect(include('Kyiv Zelensky')('Zelensky returns to Kyiv')).toBe(true);
  });
});

describe('compileRules: exclude terms', () => {
  it('rejects a story an include term selected', () => {
    const m = compileRules({ include: ['Ukraine'], exclude: ['football'] }, aliases);
    expect(m('Ukraine beats England at football')).toBe(false);
    expect(m('Ukraine grain deal')).toBe(true);
  });

  it('rejects from an empty include list too', () => {
    const m = compileRules({ include: [], exclude: ['"transfer window"'] }, aliases);
    expect(m('Transfer window closes')).toBe(false);
    expect(m('Window of opportunity for a transfer')).toBe(true);
  });
});

describe('prepared story text', () => {
  const m = compileRules({ include: ['"Bank of England"', 'Zelensky', '/F-16/'], exclude: [] }, aliases);

  it('matches on any entry of the story', () => {
    expect(m(prepareMatchText(['Rates on hold', 'Zelenskyy speaks'], aliases))).toBe(true);
    expect(m(prepareMatchText(['Jets for Ukraine', 'Allies deliver F-16'], aliases))).toBe(true);
  });

  it('never matches a phrase across two entries', () => {
    expect(m(prepareMatchText(['Record profits at the Bank', 'England win the cup'], aliases))).toBe(false);
  });

  it('gives the same answers as raw text', () => {
    for (const text of ['Zelenskyy speaks', 'Bank of England', 'nothing here']) {
      expect(m(prepareMatchText([text], aliases))).toBe(m(text));
    }
  });

  it('re-analyses text prepared with another alias table instead of answering wrongly', () => {
    // Without the alias table "Kiev" stays "kiev"; the rule, compiled with it, looks for "kyiv".
    expect(include('Kyiv')(prepareMatchText(['Attack on Kiev']))).toBe(true);
  });
});

describe('regular expression terms', () => {
  it('are not stateful across calls even with the g flag', () => {
    const m = include('/kyiv/gi');
    expect([m('Kyiv'), m('Kyiv'), m('Kyiv')]).toEqual([true, true, true]);
  });

  it('test the raw text, not normalised terms', () => {
    expect(include('/Zelenskyy/')('Zelenskiy')).toBe(false);
  });
});

describe('invalid terms', () => {
  it('are reported with their list and index', () => {
    expect(findRuleProblems({ include: ['Kyiv', '/([a-z/'], exclude: ['the of'] }, aliases)).toEqual([
      { list: 'include', index: 1, message: expect.stringContaining('not a valid regular expression') },
      { list: 'exclude', index: 0, message: expect.stringContaining('no words to match') },
    ]);
  });

  it('make compileRules throw with a stage prefix', () => {
    expect(() => compileRules({ include: ['/(/'], exclude: [] }, aliases)).toThrow(/^publish: rule term/);
  });
});

describe('one term syntax for config validation and matching', () => {
  const feedsJson = (term: string) => JSON.stringify({ sources: [{ id: 'a', url: 'https://a.example/f' }], feeds: [{ slug: 'f', title: 'F', include: [term] }] });
  const configAccepts = (term: string) => {
    try {
      parseConfig(feedsJson(term), 'feeds.json');
      return true;
    } catch (e) {
      if (e instanceof ConfigError) return false;
      throw e;
    }
  };
  const matcherAccepts = (term: string) => findRuleProblems({ include: [term], exclude: [] }, aliases).length === 0;

  it.each([
    ['/kyiv/i', true],
    ['/kyiv/gy', true],
    ['/a.b/s', true],
    ['  /kyiv/  ', true],
    ['/kyiv/gg', false],
    ['/kyiv/q', false],
    ['/(x/', false],
    ['/x/uv', false],
  ])('%s is accepted by both or refused by both', (term, ok) => {
    expect(configAccepts(term)).toBe(ok);
    expect(matcherAccepts(term)).toBe(ok);
  });

  it('compiles a term once with the flags as written, minus g and y', () => {
    expect(parseTermSyntax('/kyiv/gim')).toMatchObject({ kind: 'regex', re: /kyiv/im });
    expect(parseTermSyntax(' /a.b/s ')).toMatchObject({ kind: 'regex', re: /a.b/s });
    expect(include(' /KYIV/i ')('attack on kyiv')).toBe(true);
    expect(parseTermSyntax('"Bank of England"')).toEqual({ kind: 'phrase', text: 'Bank of England' });
    expect(parseTermSyntax('Bank of England')).toEqual({ kind: 'words', text: 'Bank of England' });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAliases, normalizeForMatch } from '../../src/stories/index.ts';

const aliases = loadAliases();
const norm = (text: string) => normalizeForMatch(text, aliases);

describe('normalizeForMatch', () => {
  it('folds case, punctuation, possessives, stop words and English inflection', () => {
    expect(norm('The Talks were "Cancelled" — again!')).toEqual(norm('talk cancelled again'));
    expect(norm("Kremlin's offer")).toEqual(norm('Kremlin offer'));
    expect(norm('the of and')).toEqual([]);
  });

  it.each([
    ['Zelenskyy', 'Zelensky', 'Zelenskiy', 'Zelenskij'],
    ['Kyiv', 'Kiev'],
    ['Odesa', 'Odessa'],
    ['Kharkiv', 'Kharkov'],
    ['Gaddafi', 'Qaddafi', 'Kadhafi'],
    ['Daesh', 'ISIS', 'ISIL', 'Islamic State'],
    ['Beijing', 'Peking'],
    ['Myanmar', 'Burma'],
    ['Türkiye', 'Turkey'],
    ['Erdoğan', 'Erdogan'],
    ['Navalny', 'Navalnyi'],
    ['Hezbollah', 'Hizbollah'],
    ['United Nations', 'UN', 'U.N.'],
    ['United States', 'US', 'U.S.', 'USA'],
    ['European Union', 'EU'],
    ['Xi Jinping', 'Xi'],
  ])('makes the variants of %s meet', (...variants) => {
    const first = norm(variants[0]);
    expect(first).toHaveLength(1);
    for (const v of variants) expect(norm(v)).toEqual(first);
  });

  it('folds transliteration endings and diacritics of names outside the table', () => {
    expect(norm('Kolomoyskyy')).toEqual(norm('Kolomoyskiy'));
    expect(norm('Müller Zürich')).toEqual(norm('Muller Zurich'));
  });

  it('keeps the pronoun "us" out of the United States', () => {
    expect(norm('join us')).not.toEqual(norm('join US'));
    expect(norm('join us')).toEqual(norm('join'));
  });

  it('decodes HTML entities', () => {
    expect(norm('Trade &amp; tariffs &#8211; &quot;talks&quot;')).toEqual(norm('Trade & tariffs – "talks"'));
  });

  it('keeps figures whole', () => {
    expect(norm('$1.3 trillion')).not.toContain('3');
    expect(norm('853,000 claims')).toContain('853000');
  });

  it('splits unspaced scripts into character bigrams and keeps Cyrillic and Arabic words', () => {
    expect(norm('習近平訪問')).toEqual(['習近', '近平', '平訪', '訪問']);
    expect(norm('Зеленский призвал к переговорам')).toEqual(norm('Зеленский призвал к переговорам'));
    expect(norm('Зеленский')).toEqual(norm('Zelensky'));
    expect(norm('مفاوضات السلام في جنيف')).toHaveLength(4);
  });

  it('ignores emoji and survives empty text', () => {
    expect(norm('🔥🔥 Markets 📉 crash')).toEqual(norm('Markets crash'));
    expect(norm('')).toEqual([]);
  });
});

describe('loadAliases', () => {
  it('merges an operator file, whose entries win', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aliases-')), 'extra.json');
    fs.writeFileSync(file, JSON.stringify({ entries: { 'new caledonia': ['nouvelle-caledonie', 'kanaky'], kyiv: ['kyjiw'] } }));
    const merged = loadAliases(file);
    expect(normalizeForMatch('Kanaky', merged)).toEqual(normalizeForMatch('New Caledonia', merged));
    expect(normalizeForMatch('Kyjiw', merged)).toEqual(normalizeForMatch('Kiev', merged));
    expect(normalizeForMatch('Kanaky', aliases)).not.toEqual(normalizeForMatch('New Caledonia', aliases));
  });

  it('rejects a file without entries', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aliases-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ kyiv: ['kiev'] }));
    expect(() => loadAliases(file)).toThrow(/entries/);
  });
});

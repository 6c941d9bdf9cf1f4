// Text → match terms: tokenise, fold spellings, apply aliases, drop stop words, stem English.
import { stemmer } from 'stemmer';
import type { AliasTable } from './aliases.ts';
import { foldWord, isLatinWord } from './names.ts';
import { STOP_WORDS } from './stopwords.ts';
import { tokenize, type RawToken } from './tokenizer.ts';

/** One match term and whether the text wrote it as a name. */
export interface Term {
  term: string;
  /** Capitalised inside a sentence, or an alias: names and places weigh more than ordinary words. */
  entity: boolean;
  /** A character bigram of a script written without spaces (see tokenizer.ts). */
  bigram: boolean;
}

/** Turns text into match terms in reading order. */
export function analyze(text: string, aliases: AliasTable): Term[] {
  const raw = tokenize(text);
  const shouting = isShouting(raw);
  // In Title Case or ALL CAPS text a capital letter does not mark a name.
  const capsMeanNames = !shouting && !isTitleCase(raw);
  const folded = raw.map((t) => (t.bigram ? t.text : foldWord(t.text)));
  const out: Term[] = [];
  for (let i = 0; i < raw.length; ) {
    const alias = matchAlias(raw, folded, i, aliases, shouting);
    if (alias) {
      out.push({ term: alias.term, entity: true, bigram: false });
      i += alias.words;
      continue;
    }
    const term = toTerm(raw[i], folded[i]);
    const first = raw[i].text[0];
    if (term) out.push({ term, entity: capsMeanNames && !raw[i].sentenceStart && first !== first.toLowerCase(), bigram: raw[i].bigram });
    i++;
  }
  return out;
}

/** The normalised match terms of a text (also used by search and feed rules, so they agree with clustering). */
export function normalizeForMatch(text: string, aliases?: AliasTable): string[] {
  return analyze(text, aliases ?? EMPTY_ALIASES).map((t) => t.term);
}

const EMPTY_ALIASES: AliasTable = { folded: new Map(), exact: new Map(), maxWords: 1, starts: new Map() };

function toTerm(raw: RawToken, folded: string): string | null {
  if (raw.bigram) return folded;
  if (STOP_WORDS.has(folded)) return null;
  // Single letters are initials or list markers, never what a story is about.
  if (folded.length < 2 && !/\d/.test(folded)) return null;
  return isLatinWord(folded) ? stemmer(folded) : folded;
}

function matchAlias(raw: RawToken[], folded: string[], i: number, aliases: AliasTable, shouting: boolean) {
  for (let n = Math.min(aliases.starts.get(folded[i]) ?? 1, raw.length - i); n > 1; n--) {
    const term = aliases.folded.get(folded.slice(i, i + n).join(' '));
    if (term) return { term, words: n };
  }
  const single = aliases.folded.get(folded[i]);
  if (single) return { term: single, words: 1 };
  const exact = shouting ? undefined : aliases.exact.get(raw[i].text);
  return exact ? { term: exact, words: 1 } : null;
}

function isShouting(raw: RawToken[]): boolean {
  let upper = 0, letters = 0;
  for (const t of raw) {
    if (t.bigram) continue;
    const up = t.text.toUpperCase(), low = t.text.toLowerCase();
    if (up === low) continue; // digits or a script without case
    letters++;
    if (t.text.length > 1 && t.text === up) upper++;
  }
  return letters >= 3 && upper / letters > 0.7;
}

function isTitleCase(raw: RawToken[]): boolean {
  let caps = 0, words = 0;
  for (const t of raw) {
    if (t.bigram || t.text.length < 4) continue;
    const first = t.text[0];
    if (first.toLowerCase() === first.toUpperCase()) continue;
    words++;
    if (first !== first.toLowerCase()) caps++;
  }
  return words >= 3 && caps / words > 0.7;
}

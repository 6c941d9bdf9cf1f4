// The alias table: spellings of one place, person or body mapped to one canonical term.
import fs from 'node:fs';
import { foldWord } from './names.ts';
import { tokenize } from './tokenizer.ts';
import builtIn from './aliases.json' with { type: 'json' };

/** Variant phrases (folded words joined by spaces) mapped to their canonical term. */
export interface AliasTable {
  /** Case-insensitive variants, keyed by folded words. */
  folded: Map<string, string>;
  /** Capitalised short variants (US, UN, IS) that only match as written. */
  exact: Map<string, string>;
  /** Longest variant, in words. */
  maxWords: number;
  /** First word of each multi-word variant → longest such variant, so most words skip the phrase lookups. */
  starts: Map<string, number>;
}

interface AliasFile {
  entries: Record<string, string[]>;
}

/** The built-in table merged with an operator's file of the same shape (its entries win). */
export function loadAliases(extraFile?: string): AliasTable {
  const table: AliasTable = { folded: new Map(), exact: new Map(), maxWords: 1, starts: new Map() };
  addEntries(table, (builtIn as AliasFile).entries);
  if (extraFile) addEntries(table, readAliasFile(extraFile));
  return table;
}

function readAliasFile(file: string): Record<string, string[]> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<AliasFile>;
  const entries = parsed?.entries;
  if (!entries || typeof entries !== 'object') throw new Error(`stories: alias file ${file} has no "entries" object`);
  for (const [name, variants] of Object.entries(entries)) {
    if (!Array.isArray(variants) || variants.some((v) => typeof v !== 'string')) {
      throw new Error(`stories: alias file ${file}: entries.${name} must be a list of strings`);
    }
  }
  return entries;
}

function addEntries(table: AliasTable, entries: Record<string, string[]>): void {
  for (const [canonical, variants] of Object.entries(entries)) {
    const term = foldPhrase(canonical).join('_');
    if (!term) continue;
    for (const v of [canonical, ...variants]) addVariant(table, v, term);
  }
}

function addVariant(table: AliasTable, variant: string, term: string): void {
  // "u.s." and "US" are the same acronym; lowercase "us" is a pronoun, so acronyms match only in capitals.
  const v = /^(?:\p{L}\.)+$/u.test(variant) ? variant.replaceAll('.', '').toUpperCase() : variant;
  if (/^\p{Lu}{2,3}$/u.test(v)) {
    table.exact.set(v, term);
    return;
  }
  const words = foldPhrase(v);
  if (words.length === 0) return;
  table.folded.set(words.join(' '), term);
  table.maxWords = Math.max(table.maxWords, words.length);
  if (words.length > 1) table.starts.set(words[0], Math.max(table.starts.get(words[0]) ?? 0, words.length));
}

/** Folds a phrase into the words the matcher compares, exactly as text is tokenised. */
export function foldPhrase(phrase: string): string[] {
  return tokenize(phrase).map((t) => (t.bigram ? t.text : foldWord(t.text)));
}

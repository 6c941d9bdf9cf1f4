// Parsing one curated-feed term: /regex/flags, a "quoted phrase", or words that must all appear.
import { parseTermSyntax } from '../config/index.ts';
import { normalizeForMatch, type AliasTable } from '../stories/index.ts';

/** A parsed term: a regular expression over the raw text, or normalised match terms. */
export type RuleTerm =
  | { kind: 'regex'; source: string; re: RegExp }
  /** Every term must appear somewhere in the story text. */
  | { kind: 'words'; source: string; terms: string[] }
  /** The terms must appear consecutively (after stop words are dropped), written as ` a b ` for a substring test. */
  | { kind: 'phrase'; source: string; key: string };

/** Parses a term (its syntax checked by config's parseTermSyntax), or returns why it can never match (invalid regex, nothing but stop words). */
export function parseTerm(source: string, aliases?: AliasTable): RuleTerm | { error: string } {
  const syntax = parseTermSyntax(source);
  if ('error' in syntax) return syntax;
  if (syntax.kind === 'regex') return { kind: 'regex', source, re: syntax.re };
  const terms = normalizeForMatch(syntax.text, aliases);
  if (terms.length === 0) return { error: `"${source}" has no words to match (only stop words or punctuation)` };
  // One normalised term is a plain word lookup whether quoted or not.
  if (syntax.kind === 'words' || terms.length === 1) return { kind: 'words', source, terms };
  return { kind: 'phrase', source, key: ` ${terms.join(' ')} ` };
}

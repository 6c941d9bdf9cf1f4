// Parsing one curated-feed term: /regex/flags, a "quoted phrase", or words that must all appear.
import { normalizeForMatch, type AliasTable } from '../stories/index.ts';

/** A parsed term: a regular expression over the raw text, or normalised match terms. */
export type RuleTerm =
  | { kind: 'regex'; source: string; re: RegExp }
  /** Every term must appear somewhere in the story text. */
  | { kind: 'words'; source: string; terms: string[] }
  /** The terms must appear consecutively (after stop words are dropped), written as ` a b ` for a substring test. */
  | { kind: 'phrase'; source: string; key: string };

const REGEX_TERM = /^\/(.+)\/([a-z]*)$/s;
const QUOTED_TERM = /^"(.+)"$/s;

/** Parses a term, or returns why it can never match (invalid regex, nothing but stop words). */
export function parseTerm(source: string, aliases?: AliasTable): RuleTerm | { error: string } {
  const text = source.trim();
  const regex = REGEX_TERM.exec(text);
  if (regex) return parseRegex(source, regex[1], regex[2]);
  const quoted = QUOTED_TERM.exec(text);
  const terms = normalizeForMatch(quoted ? quoted[1] : text, aliases);
  if (terms.length === 0) return { error: `"${source}" has no words to match (only stop words or punctuation)` };
  // One normalised term is a plain word lookup whether quoted or not.
  if (!quoted || terms.length === 1) return { kind: 'words', source, terms };
  return { kind: 'phrase', source, key: ` ${terms.join(' ')} ` };
}

function parseRegex(source: string, body: string, flags: string): RuleTerm | { error: string } {
  try {
    // g and y make RegExp.test stateful (lastIndex), which would make matching depend on the previous story.
    return { kind: 'regex', source, re: new RegExp(body, flags.replace(/[gy]/g, '')) };
  } catch (err) {
    return { error: `"${source}" is not a valid regular expression: ${(err as Error).message}` };
  }
}

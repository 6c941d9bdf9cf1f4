// Curated-feed rules: include terms (any selects; none = everything) and exclude terms (any rejects).
//
// Words are compared after normalizeForMatch, the same analysis clustering uses, so matching is whole-word,
// case- and diacritic-insensitive, stemmed (talks ~ talk) and alias-aware (Zelensky ~ Zelenskyy, Kiev ~ Kyiv).
// Consequently "Iran" matches "Iranian" exactly when the alias table lists it as a variant (the built-in one
// does), never by substring: "Iran" does not match "Tirana". Stop words are ignored, in terms and in phrases.
import type { AliasTable } from '../stories/index.ts';
import { normalizeForMatch } from '../stories/index.ts';
import { parseTerm, type RuleTerm } from './rule-terms.ts';

/** A feed's term rules as configured. */
export interface TermRules {
  include: string[];
  exclude: string[];
}

/** Story text analysed once, to test against many feeds' rules (build it with the same alias table as the rules). */
export interface MatchText {
  /** The texts joined by newlines, for regular expressions. */
  raw: string;
  terms: ReadonlySet<string>;
  /** Each text's terms as ` a b c `, joined by newlines, so phrases never span two entries. */
  sequence: string;
  aliases: AliasTable | null;
}

/** A compiled rule set; takes raw text (analysed on each call) or prepared MatchText (analysed once). */
export type RuleMatcher = (text: string | MatchText) => boolean;

/** One term that can never match, with where it is. */
export interface RuleProblem {
  list: 'include' | 'exclude';
  index: number;
  message: string;
}

/** Analyses story texts (e.g. title and summary of every entry) once for any number of matchers. */
export function prepareMatchText(texts: string | string[], aliases?: AliasTable): MatchText {
  const list = typeof texts === 'string' ? [texts] : texts;
  const perText = list.map((t) => normalizeForMatch(t, aliases));
  return {
    raw: list.join('\n'),
    terms: new Set(perText.flat()),
    sequence: perText.map((terms) => ` ${terms.join(' ')} `).join('\n'),
    aliases: aliases ?? null,
  };
}

/** Lists the terms that are invalid or can never match, for config validation. */
export function findRuleProblems(rules: TermRules, aliases?: AliasTable): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const list of ['include', 'exclude'] as const) {
    rules[list].forEach((term, index) => {
      const parsed = parseTerm(term, aliases);
      if ('error' in parsed) problems.push({ list, index, message: parsed.error });
    });
  }
  return problems;
}

/** Compiles rules once (terms normalised, regexes built); throws on the first invalid term. */
export function compileRules(rules: TermRules, aliases?: AliasTable): RuleMatcher {
  const include = parseAll(rules.include, aliases);
  const exclude = parseAll(rules.exclude, aliases);
  return (input) => {
    const text = typeof input === 'string' || input.aliases !== (aliases ?? null) ? prepareMatchText(rawOf(input), aliases) : input;
    if (exclude.some((t) => termMatches(t, text))) return false;
    return include.length === 0 || include.some((t) => termMatches(t, text));
  };
}

function rawOf(input: string | MatchText): string {
  return typeof input === 'string' ? input : input.raw;
}

function parseAll(terms: string[], aliases?: AliasTable): RuleTerm[] {
  return terms.map((term) => {
    const parsed = parseTerm(term, aliases);
    if ('error' in parsed) throw new Error(`publish: rule term ${parsed.error}`);
    return parsed;
  });
}

function termMatches(term: RuleTerm, text: MatchText): boolean {
  switch (term.kind) {
    case 'regex':
      return term.re.test(text.raw);
    case 'words':
      return term.terms.every((t) => text.terms.has(t));
    case 'phrase':
      return text.sequence.includes(term.key);
  }
}

// The syntax of one feed term (feeds[].include / exclude): /regex/flags, a "quoted phrase", or words.
// The single place a term is parsed and its regular expression compiled: config validation, `storywire check`
// and the feed matcher all call parseTermSyntax, so a term is accepted exactly when it can be used.

/** A term's syntax; words and phrases are normalised by the matcher (they need the alias table). */
export type TermSyntax =
  | { kind: 'regex'; re: RegExp }
  /** Every word must appear somewhere in the story text. */
  | { kind: 'words'; text: string }
  /** The words must appear consecutively. */
  | { kind: 'phrase'; text: string };

const REGEX_TERM = /^\/(.+)\/([a-z]*)$/s;
const QUOTED_TERM = /^"(.+)"$/s;
// g and y make RegExp.test stateful (lastIndex), which would make matching depend on the previous story: they are ignored.
const IGNORED_FLAGS = /[gy]/g;

/** Parses a term; a regular expression that does not compile (or has unknown flags) is an error. */
export function parseTermSyntax(source: string): TermSyntax | { error: string } {
  const text = source.trim();
  const regex = REGEX_TERM.exec(text);
  if (regex) {
    try {
      // Compiled as written first, so a repeated or unknown flag is refused, then without the ignored flags.
      const re = new RegExp(regex[1], regex[2]);
      return { kind: 'regex', re: re.global || re.sticky ? new RegExp(regex[1], regex[2].replace(IGNORED_FLAGS, '')) : re };
    } catch (e) {
      return { error: `"${source}" is not a valid regular expression: ${(e as Error).message}` };
    }
  }
  const quoted = QUOTED_TERM.exec(text);
  return quoted ? { kind: 'phrase', text: quoted[1] } : { kind: 'words', text };
}

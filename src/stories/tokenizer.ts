// Splits text into words by Unicode letters, marks and digits; scripts written without spaces become character
// bigrams (Chinese, Japanese, Korean) or dictionary words (Thai, Lao, Khmer, Myanmar).
import { decodeHTML } from 'entities';
import { NON_ASCII_RE } from './names.ts';

/** One word as written, with what its position says about it. */
export interface RawToken {
  /** As written, possessive 's and inner apostrophes removed, acronym dots dropped. */
  text: string;
  /** First word of a sentence, so its capital letter says nothing. */
  sentenceStart: boolean;
  /** A character bigram of a script written without spaces (Chinese, Japanese, Korean). */
  bigram: boolean;
}

// Marks (Devanagari vowel signs, viramas, Arabic harakat, Hebrew points) belong to the letter before them; ZWNJ/ZWJ
// sit inside Persian and Indic words; apostrophes and Hebrew geresh/gershayim (צה״ל) join the parts of one word.
const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:[\u200C\u200D]+[\p{L}\p{M}\p{N}]+)*(?:['’\u05F3\u05F4][\p{L}\p{M}]+)*/gu;
const INNER_MARKS_RE = /['’\u05F3\u05F4]/g;
// Scripts without spaces between words. Han and Kana by Script_Extensions so the prolonged sound mark (ー) and
// iteration marks stay inside their runs. Korean is spaced, but its words carry particles (대통령이, 대통령은), so its
// syllable bigrams meet where whole words would not.
const BIGRAM_SCRIPTS = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}';
// Thai, Lao, Khmer and Myanmar: ICU's dictionary word breaker splits them into words whose marks stay attached.
const SEGMENTED_SCRIPTS = '\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}';
const NO_SPACE_RE = new RegExp(`[${BIGRAM_SCRIPTS}${SEGMENTED_SCRIPTS}]`, 'u');
const NO_SPACE_RUN_RE = new RegExp(`([${BIGRAM_SCRIPTS}]+)|[${SEGMENTED_SCRIPTS}]+`, 'gu');
const MARK_RE = /\p{M}/u;
// One segmenter for the process: creating one costs far more than segmenting a headline.
const WORDS = new Intl.Segmenter('th', { granularity: 'word' });
// A sentence boundary in the gap before a word (also a headline's "Title: rest" colon).
const BOUNDARY_RE = /[.!?:;\n]["'“”‘’)\]\s]*$/;

/** Splits text into raw words in reading order. */
export function tokenize(text: string): RawToken[] {
  const clean = prepareText(text);
  const out: RawToken[] = [];
  let last = 0;
  for (const m of clean.matchAll(WORD_RE)) {
    const start = m.index ?? 0;
    const sentenceStart = out.length === 0 || BOUNDARY_RE.test(clean.slice(last, start));
    last = start + m[0].length;
    pushWord(out, m[0], sentenceStart);
  }
  return out;
}

function prepareText(text: string): string {
  let t = text.includes('&') ? decodeHTML(text) : text;
  if (NON_ASCII_RE.test(t)) {
    // Digits of every script as ASCII before the separators below are read. Variation selectors only pick a glyph,
    // yet as marks of no script they would split a run of Han. Hebrew acronyms are often typed with a plain quote for
    // gershayim (צה"ל): one word either way.
    t = t.replace(NON_ASCII_DIGIT_RE, asciiDigit).replace(VARIATION_SELECTOR_RE, '').replace(HEBREW_QUOTE_RE, '\u05F4');
  }
  // U.S. → US, U.N. → UN before the dots split them into letters.
  t = t.replace(/(?<![\p{L}.])(?:\p{Lu}\.){2,}/gu, (m) => m.replaceAll('.', ''));
  // 1,000 and ١٬٠٠٠ → 1000 so figures stay one token.
  // 1.3 and ١٫٣ stay one figure ("1d3"), not the digits 1 and 3.
  return t.replace(/(\d)[,\u066C](?=\d{3}\b)/g, '$1').replace(/(\d)[.\u066B](?=\d)/g, '$1d');
}

const NON_ASCII_DIGIT_RE = /(?![0-9])\p{Nd}/gu;
const VARIATION_SELECTOR_RE = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
const HEBREW_QUOTE_RE = /(?<=\p{Script=Hebrew})"(?=\p{Script=Hebrew})/gu;
const DIGIT_VALUES = new Map<string, string>();

/**
 * The ASCII digit of a decimal digit of any script (٣, ۳, ३, ৩, ๓, ３ → 3), so figures compare as numbers. Unicode
 * encodes every script's digits as runs of ten from zero, so a digit's value is its distance from the start of its
 * run, modulo ten (runs of several sets, such as the mathematical digits, hold whole sets).
 */
function asciiDigit(d: string): string {
  let ascii = DIGIT_VALUES.get(d);
  if (ascii === undefined) {
    const cp = d.codePointAt(0)!;
    let start = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    ascii = String((cp - start) % 10);
    DIGIT_VALUES.set(d, ascii);
  }
  return ascii;
}

function pushWord(out: RawToken[], word: string, sentenceStart: boolean): void {
  const w = word.replace(/['’][sS]$/, '').replace(INNER_MARKS_RE, '');
  if (!NO_SPACE_RE.test(w)) {
    out.push({ text: w, sentenceStart, bigram: false });
    return;
  }
  // Mixed runs ("東京2020"): spaced parts stay words, unspaced parts become bigrams or segmented words.
  let pos = 0;
  for (const m of w.matchAll(NO_SPACE_RUN_RE)) {
    const at = m.index ?? 0;
    if (at > pos) out.push({ text: w.slice(pos, at), sentenceStart, bigram: false });
    if (m[1] !== undefined) pushBigrams(out, m[0], sentenceStart);
    else pushSegments(out, m[0], sentenceStart);
    pos = at + m[0].length;
  }
  if (pos < w.length) out.push({ text: w.slice(pos), sentenceStart, bigram: false });
}

function pushBigrams(out: RawToken[], run: string, sentenceStart: boolean): void {
  const chars = characters(run);
  if (chars.length === 1) out.push({ text: chars[0], sentenceStart, bigram: true });
  for (let i = 0; i + 1 < chars.length; i++) out.push({ text: chars[i] + chars[i + 1], sentenceStart, bigram: true });
}

/** The characters of a run, composed (か + ゙ → が) and each with any combining mark left after it. */
function characters(run: string): string[] {
  if (!MARK_RE.test(run)) return [...run];
  const chars: string[] = [];
  for (const p of run.normalize('NFC')) {
    if (chars.length > 0 && MARK_RE.test(p)) chars[chars.length - 1] += p;
    else chars.push(p);
  }
  return chars;
}

function pushSegments(out: RawToken[], run: string, sentenceStart: boolean): void {
  for (const s of WORDS.segment(run)) if (s.isWordLike) out.push({ text: s.segment, sentenceStart, bigram: false });
}

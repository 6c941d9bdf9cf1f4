// Splits text into words by Unicode letters and digits; scripts written without spaces become character bigrams.
import { decodeHTML } from 'entities';

/** One word as written, with what its position says about it. */
export interface RawToken {
  /** As written, possessive 's and inner apostrophes removed, acronym dots dropped. */
  text: string;
  /** First word of a sentence, so its capital letter says nothing. */
  sentenceStart: boolean;
  /** A character bigram of a script written without spaces (Chinese, Japanese, Korean, Thai). */
  bigram: boolean;
}

const WORD_RE = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*/gu;
const NO_SPACE_SCRIPT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]+/gu;
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
  // U.S. → US, U.N. → UN before the dots split them into letters.
  t = t.replace(/(?<![\p{L}.])(?:\p{Lu}\.){2,}/gu, (m) => m.replaceAll('.', ''));
  // 1,000 → 1000 so figures stay one token.
  // 1.3 stays one figure ("1d3"), not the digits 1 and 3.
  return t.replace(/(\d),(?=\d{3}\b)/g, '$1').replace(/(\d)\.(?=\d)/g, '$1d');
}

function pushWord(out: RawToken[], word: string, sentenceStart: boolean): void {
  const w = word.replace(/['’][sS]$/, '').replace(/['’]/g, '');
  if (!NO_SPACE_SCRIPT_RE.test(w)) {
    out.push({ text: w, sentenceStart, bigram: false });
    return;
  }
  NO_SPACE_SCRIPT_RE.lastIndex = 0;
  // Mixed runs ("東京2020"): spaced parts stay words, unspaced parts become bigrams.
  let pos = 0;
  for (const m of w.matchAll(NO_SPACE_SCRIPT_RE)) {
    const at = m.index ?? 0;
    if (at > pos) out.push({ text: w.slice(pos, at), sentenceStart, bigram: false });
    pushBigrams(out, m[0], sentenceStart);
    pos = at + m[0].length;
  }
  if (pos < w.length) out.push({ text: w.slice(pos), sentenceStart, bigram: false });
}

function pushBigrams(out: RawToken[], run: string, sentenceStart: boolean): void {
  const chars = [...run];
  if (chars.length === 1) out.push({ text: run, sentenceStart, bigram: true });
  for (let i = 0; i + 1 < chars.length; i++) out.push({ text: chars[i] + chars[i + 1], sentenceStart, bigram: true });
}

// Spelling folds that let transliterations and accented spellings of one name meet.

// Letters that Unicode decomposition does not split into base letter + mark.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h',
};
const SPECIAL_RE = /[ßøłđðþæœıħ]/g;
// Scripts whose combining marks are accents (Zürich, Erdoğan, Й); in others marks carry vowels.
const ACCENTED_SCRIPT_RE = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\p{N}]+$/u;
// Slavic transliteration endings: Zelenskyy / Zelenskiy / Zelenskij / Zelenskyi all end as -sky.
const TRANSLIT_ENDING_RE = /(?:iy|yy|ij|yi|yj|ii)$/;

/** Lowercases a word and folds diacritics and transliteration endings (Zelenskiy → zelensky, Erdoğan → erdogan). */
export function foldWord(word: string): string {
  let w = word.toLowerCase();
  if (/[^\x00-\x7f]/.test(w) && ACCENTED_SCRIPT_RE.test(w)) {
    w = w.normalize('NFD').replace(/\p{M}/gu, '').replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c);
  }
  // Short words keep their ending: "hii", "taiji" are not transliterated surnames.
  if (w.length >= 6 && /^[a-z]+$/.test(w)) w = w.replace(TRANSLIT_ENDING_RE, 'y');
  return w;
}

/** True when a word is written in Latin letters, so English stemming applies to it. */
export function isLatinWord(word: string): boolean {
  return /^[a-z]+$/.test(word);
}

// Spelling folds that let transliterations and accented spellings of one name meet, and optional marks of each script
// drop out: every word leaves here in the one spelling that matching, aliases and search compare.

// Letters that Unicode decomposition does not split into base letter + mark (ς: Greek final sigma is σ).
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h', ς: 'σ',
};
const SPECIAL_RE = /[ßøłđðþæœıħς]/g;
/** Text beyond ASCII: only it needs the Unicode folds (most English text skips them). */
export const NON_ASCII_RE = /[^\x00-\x7f]/;
// Scripts whose combining marks are accents (Zürich, Erdoğan, Αθήνα); in others marks carry vowels.
const ACCENTED_SCRIPT_RE = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\p{N}]+$/u;
// Slavic transliteration endings: Zelenskyy / Zelenskiy / Zelenskij / Zelenskyi all end as -sky.
const TRANSLIT_ENDING_RE = /(?:iy|yy|ij|yi|yj|ii)$/;

/**
 * Lowercases a word and folds it to one spelling per name: Cyrillic is transliterated (Зеленского → zelensky),
 * accents drop (Erdoğan → erdogan, Αθήνα → αθηνα), Arabic and Hebrew lose their optional vowel marks, and
 * transliteration endings meet (Zelenskiy → zelensky).
 */
export function foldWord(word: string): string {
  let w = word.toLowerCase();
  if (NON_ASCII_RE.test(w)) w = foldScripts(w);
  // Short words keep their ending: "hii", "taiji" are not transliterated surnames.
  if (w.length >= 6 && /^[a-z]+$/.test(w)) w = w.replace(TRANSLIT_ENDING_RE, 'y');
  return w;
}

/** True when a word is written in Latin letters, so English stemming applies to it. */
export function isLatinWord(word: string): boolean {
  return /^[a-z]+$/.test(word);
}

const CYRILLIC_RE = /\p{Script=Cyrillic}/u;
const ARABIC_RE = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const HEBREW_RE = /[\u0590-\u05FF\uFB1D-\uFB4F]/;
const MARKS_RE = /\p{M}/gu;
const JOINERS_RE = /[\u200C\u200D]/g;

function foldScripts(word: string): string {
  // Cyrillic first, so a transliterated word takes the Latin folds below like any Latin word.
  const w = CYRILLIC_RE.test(word) ? transliterateCyrillic(stripCaseEnding(word)) : word;
  if (ACCENTED_SCRIPT_RE.test(w)) {
    // NFKD also turns fullwidth and ligature letters (ＮＡＴＯ, ﬁ) into plain ones.
    return w.normalize('NFKD').replace(MARKS_RE, '').replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c);
  }
  if (ARABIC_RE.test(w)) return foldArabic(w);
  // Niqqud and cantillation are optional: most Hebrew is written without them.
  if (HEBREW_RE.test(w)) return w.replace(MARKS_RE, '').replace(JOINERS_RE, '');
  // Indic, Thai and others: marks are vowels and stay; only the encoding (NFC) and invisible joiners are unified.
  return w.normalize('NFC').replace(JOINERS_RE, '');
}

// Harakat, Quranic marks, superscript alef, tatweel and joiners: optional or only typographic.
const ARABIC_OPTIONAL_RE = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D]/g;
// Letter variants that writers and keyboards use interchangeably (as Arabic search engines fold them): hamza-carrying
// and wasla alefs → alef, alef maqsura and Persian yeh → yeh, Persian keheh → kaf, ta marbuta → heh.
const ARABIC_LETTERS: Record<string, string> = { 'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ک': 'ك', 'ة': 'ه' };
const ARABIC_LETTERS_RE = /[أإآٱىیکة]/g;

function foldArabic(w: string): string {
  // NFKC first: presentation forms become letters, and alef + combining hamza becomes أ, folded below.
  return w.normalize('NFKC').replace(ARABIC_OPTIONAL_RE, '').replace(ARABIC_LETTERS_RE, (c) => ARABIC_LETTERS[c]);
}

// Russian (BGN/PCGN-like, as English-language news spells Russian names), with the letters of Ukrainian, Belarusian,
// Serbian and Macedonian. Soft and hard signs vanish, as in Zelensky, Kharkov.
const CYRILLIC_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'i', є: 'ie', ґ: 'g', ў: 'u',
  ђ: 'd', ј: 'j', љ: 'lj', њ: 'nj', ћ: 'c', џ: 'dz', ѓ: 'gj', ќ: 'kj', ѕ: 'dz',
};
// Ukrainian and Belarusian (words with і ї є ґ ў) as their official romanisations: Київ → kyiv, Харків → kharkiv.
const UKRAINIAN_LATIN: Record<string, string> = { г: 'h', и: 'y', й: 'i', ю: 'iu', я: 'ia' };
// Serbian and Macedonian (words with ђ ј љ њ ћ џ ѓ ќ ѕ) as their own Latin alphabet, folded: Вучић → vucic.
const SERBIAN_LATIN: Record<string, string> = { ж: 'z', х: 'h', ц: 'c', ч: 'c', ш: 's' };
// At the start of a word (and after a soft or hard sign) the iotated vowels are spelt with y: Ельцин → yeltsin,
// Євген → yevhen, Запорожье → zaporozhye.
const INITIAL_LATIN: Record<string, string> = { е: 'ye', ё: 'ye', є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' };
const UKRAINIAN_RE = /[іїєґў]/;
const SERBIAN_RE = /[ђјљњћџѓќѕ]/;

function transliterateCyrillic(w: string): string {
  const local = UKRAINIAN_RE.test(w) ? UKRAINIAN_LATIN : SERBIAN_RE.test(w) ? SERBIAN_LATIN : undefined;
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i];
    const initial = i === 0 || w[i - 1] === 'ь' || w[i - 1] === 'ъ';
    out += (initial ? INITIAL_LATIN[c] : undefined) ?? local?.[c] ?? CYRILLIC_LATIN[c] ?? c;
  }
  return out;
}

const CYRILLIC_WORD_RE = /^[а-яёіїєґўђјљњћџѓќѕ]{5,}$/;
const CONSONANT_END_RE = /[бвгджзклмнпрстфхцчшщґђјљњћџѓќѕ]$/;
const ADJECTIVE_CASE_RE = /^(.{3,}?)(ого|его|ому|ему)$/;
// Instrumental and prepositional of -ский/-цкий surnames (Зеленским, Зеленськім), which a plain noun never ends in.
const SURNAME_CASE_RE = /^(.{2,}[сцз]ь?к)(?:им|ым|ом|ім)$/;
// Ukrainian declines -енко surnames (Порошенка, Порошенку), which Russian and English leave as -enko.
const ENKO_CASE_RE = /^(.{2,}енк)(?:а|у|ові|ом|и)$/;
const IYA_NOUN_RE = /^(.{2,}[иі])(?:я|и|ю|ей|ї|єю)$/;
const NOUN_CASE_RE = /^(.{4,}?)(?:ым|[аеиіуы])$/;

/**
 * Russian and Ukrainian news names people and places mostly in oblique cases (Путина, Зеленского, в Киеве); a light
 * strip brings the commonest ones to a shared form before transliteration:
 * - adjectival surnames back to the nominative: Зеленского, Зеленському, Зеленским → Зеленский, Зеленський;
 * - Ukrainian cases of -енко surnames back to it: Порошенка → Порошенко;
 * - -ия nouns to one stem: Россия, России, Россию → Росси;
 * - one case vowel (or instrumental -ым) after a consonant: Путина, Путину, Путиным → Путин; Киеве → Киев.
 * Only words of five letters or more, and stems of three or four; vowel-final names that do not decline (Шойгу)
 * lose their vowel in every form alike, so they still meet themselves, and their Latin spelling through an alias.
 */
function stripCaseEnding(w: string): string {
  if (!CYRILLIC_WORD_RE.test(w)) return w;
  let m = ADJECTIVE_CASE_RE.exec(w);
  if (m && CONSONANT_END_RE.test(m[1])) {
    // Russian spelling: -ий after velars and sibilants and in soft stems, -ый otherwise (both end as -y once folded).
    return m[1] + (m[2][0] === 'е' || /[кгхжшчщ]$/.test(m[1]) ? 'ий' : 'ый');
  }
  if ((m = SURNAME_CASE_RE.exec(w))) return m[1] + 'ий';
  if ((m = ENKO_CASE_RE.exec(w))) return m[1] + 'о';
  if ((m = IYA_NOUN_RE.exec(w))) return m[1];
  if ((m = NOUN_CASE_RE.exec(w)) && CONSONANT_END_RE.test(m[1])) return m[1];
  return w;
}

// UTF-8 read as Latin-1 or Windows-1252 ("cafÃ©", "â€“", "â\x80\x93"): some outlets' CMSs encode twice, and their
// feeds then carry the damage in perfectly valid UTF-8. It reads badly, and the W3C validator flags every item that
// has it. The damage is mechanical, so it can be undone: each run that is the Latin-1/Windows-1252 spelling of a valid
// UTF-8 multi-byte sequence becomes the character it spelled.
//
// Only whole, valid sequences are turned back (a lead byte C2-F4 and exactly the continuation bytes it needs, as
// UTF-8 allows them), so ordinary accented text ("Zürich", "São Paulo", "à la") is never touched: a lead letter such
// as "Ã" or "â" is followed there by an ASCII letter, not by one of the symbols and controls that spell continuation
// bytes. And a text is repaired only when every such letter and symbol in it belongs to a sequence that decodes: a CMS
// that encodes twice does so to every non-ASCII character, whereas French punctuation spells valid sequences by
// chance ("voilà\u00A0»" is E0 A0 BB, "CAFÉ\u00A0»" starts with C9 A0) beside letters and guillemets that spell none.

/** Windows-1252's characters for the bytes 0x80-0x9F (the five it leaves undefined read as the C1 controls). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const BYTE_OF = new Map<string, number>([...CP1252_HIGH].map((c, i) => [c, 0x80 + i]));
for (let b = 0x80; b <= 0xbf; b++) if (!BYTE_OF.has(String.fromCharCode(b))) BYTE_OF.set(String.fromCharCode(b), b);

// A lead byte's letter followed by one or more continuation bytes' spellings.
const CONTINUATION = `[\\u0080-\\u00BF${[...CP1252_HIGH].filter((c) => c > '\u00ff').join('')}]`;
const SUSPECT_RE = new RegExp(`[\\u00C2-\\u00F4]${CONTINUATION}+`, 'g');
// Any character a Latin-1 or Windows-1252 byte 0x80-0xFF reads as.
const LATIN_RE = new RegExp(`[\\u0080-\\u00FF${[...CP1252_HIGH].filter((c) => c > '\u00ff').join('')}]`);
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text with double-encoded UTF-8 turned back into the characters it spelled; anything else unchanged. */
export function repairMojibake(text: string): string {
  // The common case, clean text, costs one regular-expression test.
  if (!SUSPECT_RE.test(text)) return text;
  SUSPECT_RE.lastIndex = 0;
  // A Latin-1 or Windows-1252 character outside the runs: the text was written in them, not damaged.
  if (LATIN_RE.test(text.replace(SUSPECT_RE, ''))) return text;
  const runs: string[] = [];
  for (const [run] of text.matchAll(SUSPECT_RE)) {
    const repaired = repairRun(run);
    if (repaired === null) return text;
    runs.push(repaired);
  }
  let i = 0;
  return text.replace(SUSPECT_RE, () => runs[i++]);
}

// The characters a run spelled, or null when some part of it is not a whole valid sequence.
function repairRun(run: string): string | null {
  const chars = [...run];
  let out = '';
  let i = 0;
  while (i < chars.length) {
    const lead = chars[i].charCodeAt(0);
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 1;
    const bytes = length > 1 && i + length <= chars.length ? toBytes(lead, chars.slice(i + 1, i + length)) : null;
    const decoded = bytes && decode(bytes);
    if (!decoded) return null;
    out += decoded;
    i += length;
  }
  return out;
}

function toBytes(lead: number, continuation: string[]): Uint8Array | null {
  const bytes = [lead];
  for (const c of continuation) {
    const b = BYTE_OF.get(c);
    if (b === undefined) return null;
    bytes.push(b);
  }
  return Uint8Array.from(bytes);
}

// The character the bytes encode, or null when they are not valid UTF-8 (overlong, a surrogate, past U+10FFFF).
function decode(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

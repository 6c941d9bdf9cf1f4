// The headline key of layer 2: the same headline dressed differently by outlets and wires.
import { foldWord } from './names.ts';
import { tokenize } from './tokenizer.ts';

// Wire and live-blog prefixes: "LIVE:", "WATCH:", "BREAKING:", "UPDATE 2-", "Analysis:", "EXCLUSIVE-".
const PREFIX_RE =
  /^\s*(?:live(?: updates?)?|watch|video|breaking(?: news)?|update(?: \d+)?|analysis|exclusive|explainer|factbox|opinion|comment|corrected|refile|urgent|just in)\s*(?:[:|–—]|-(?!\w)|(?<=\d)-)\s*/i;
// Outlet suffixes: " - BBC News", " | DW", " — Reuters" (a short tail after a spaced separator).
const SUFFIX_RE = /\s+[-|–—]\s+[^-|–—]{1,40}$/;
// A headline this long is distinctive on its own; shorter ones need the lede too.
const DISTINCT_WORDS = 6;
const LEDE_CHARS = 120;

/** The layer-2 key of an entry: its stripped, folded headline, with the lede's start when the headline is short. */
export function headlineKey(title: string, summary: string): string | null {
  const words = keyWords(stripDressing(title));
  if (words.length === 0) return null;
  if (words.length >= DISTINCT_WORDS) return words.join(' ');
  const lede = keyWords(summary.slice(0, LEDE_CHARS * 2)).join(' ').slice(0, LEDE_CHARS);
  return lede ? `${words.join(' ')}|${lede}` : null;
}

/** A title without wire prefixes and outlet suffixes. */
export function stripDressing(title: string): string {
  let t = title.trim();
  for (let i = 0; i < 2 && PREFIX_RE.test(t); i++) t = t.replace(PREFIX_RE, '');
  const suffix = SUFFIX_RE.exec(t);
  // Only a short tail is an outlet name; a long one is part of the headline.
  if (suffix && suffix[0].trim().split(/\s+/).length <= 5 && suffix.index > 15) t = t.slice(0, suffix.index);
  return t;
}

function keyWords(text: string): string[] {
  return tokenize(text).map((t) => (t.bigram ? t.text : foldWord(t.text)));
}

// "LIVE: …", "Live updates: …", "Covid-19 live: …", "Live Covid-19 updates for …", "… as it happened".
// A separator must follow "live", and "to live" is a verb: "Live Nation faces lawsuit" and "Where to live: rents
// soar" are not live blogs.
const LIVE_RE = /(?:^\s*|(?<!\bto)\s+)live(?: updates?| blog)?\s*(?:[:|–—]|-(?!\w))|^\s*live\b[^:|–—]{0,40}\bupdates\b|\bas it happened\b/i;

/** Whether a headline is a live blog's: one outlet's live entries on an event belong to one story. */
export function isLiveTitle(title: string): boolean {
  return LIVE_RE.test(title);
}

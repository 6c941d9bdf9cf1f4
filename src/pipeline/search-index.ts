// What the search index holds: each entry's title and summary as clustering's match terms, under the current alias
// table; and bringing a stored index up to date when that analysis changed (aliases, normaliser, migration).
import { createHash } from 'node:crypto';
import type { Logger } from '../lib/logger.ts';
import { entrySearchTerms, normalizeForMatch, type AliasTable } from '../stories/index.ts';
import type { ReindexReport, SearchAnalyzer, Storage } from '../store/index.ts';

/**
 * Bump when normalizeForMatch or what an entry's terms are made of changes in a way the probe below might not show
 * (then every index is rebuilt once). 2: the headline and the summary are analysed apart (as clustering reads them).
 * 3: every script: Cyrillic transliterated with case endings stripped, Greek/Arabic/Hebrew folds, Thai segmented,
 * digits of every script as ASCII.
 */
const NORMALIZER_VERSION = 3;

// A text exercising each step of the analysis (sentences, case, folding, transliteration endings, stop words,
// stemming, acronyms, digits, scripts without spaces, each script's folds, aliases): most changes to the normaliser
// change its terms.
const PROBE =
  'The Zelenskiy talks: Erdoğan’s ministers were meeting 12 officials in Zürich and Kiev. U.S. and UN say IS fled; ' +
  'Łódź Straße Islamic State 東京都の会議 กรุงเทพมหานคร Москва Selenskyj d’Artagnan Зеленського Київ Αθήνας ' +
  'مُفَاوَضَاتُ أحمد מַלְכָּה नरेंद्र می‌خواهم ١٬٢٠٠٫٥ ১২০ ＮＡＴＯ 대통령이';

/** The analysis that search indexes and queries with, under `aliases`. */
export function searchAnalyzer(aliases: AliasTable): SearchAnalyzer {
  return {
    fingerprint: aliasFingerprint(aliases),
    terms: (entry) => entrySearchTerms(entry.title, entry.summary, aliases),
  };
}

function aliasFingerprint(aliases: AliasTable): string {
  const sorted = (m: Map<string, string>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const described = JSON.stringify({
    version: NORMALIZER_VERSION,
    probe: normalizeForMatch(PROBE, aliases),
    folded: sorted(aliases.folded),
    exact: sorted(aliases.exact),
  });
  return createHash('sha256').update(described).digest('hex').slice(0, 32);
}

/** Brings the search index up to date with the entries under `aliases`, logging what it did (nothing when current). */
export async function syncSearchIndex(store: Storage, aliases: AliasTable, log?: Logger): Promise<ReindexReport> {
  const report = await store.ensureSearchIndex(searchAnalyzer(aliases));
  if (report.reason !== 'current') {
    // A new, empty database records its fingerprint too: worth a line only when entries were (re)indexed.
    const level = report.indexed || report.removed ? 'info' : 'debug';
    log?.[level]({ reason: report.reason, indexed: report.indexed, removed: report.removed, ms: Math.round(report.ms) }, 'search.reindexed');
  }
  return report;
}

/** Rebuilds the whole search index under `aliases`. */
export function rebuildSearch(store: Storage, aliases: AliasTable): Promise<ReindexReport> {
  return store.rebuildSearchIndex(searchAnalyzer(aliases));
}

/**
 * After a pass that ran with `passAliases` while the config moved to `aliases`: the pass indexed its entries with the
 * old table after the reload had rebuilt the index, so those entries are indexed again. Nothing when the table is the same.
 */
export async function reindexAfterPass(store: Storage, passAliases: AliasTable, aliases: AliasTable, passStarted: number, log?: Logger): Promise<number> {
  if (passAliases === aliases) return 0;
  const analyzer = searchAnalyzer(aliases);
  if (searchAnalyzer(passAliases).fingerprint === analyzer.fingerprint) return 0;
  const indexed = await store.reindexChangedSince(analyzer, passStarted);
  log?.info({ reason: 'aliases-changed-during-pass', indexed }, 'search.reindexed');
  return indexed;
}

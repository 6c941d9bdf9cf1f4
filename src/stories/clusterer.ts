// StoryClusterer: decides which live story an entry reports, layer by layer, cheapest first.
import { LRUCache } from 'lru-cache';
import { loadAliases, type AliasTable } from './aliases.ts';
import { Corpus, growInt32 } from './corpus.ts';
import { headlineKey, isLiveTitle } from './headline.ts';
import { resolveOptions, type ClustererOptions, type ResolvedOptions } from './options.ts';
import { Postings } from './postings.ts';
import { Story, type Member } from './story.ts';
import { analyzeEntry, norm, toVector, type SparseVector, type TermWeights } from './vector.ts';
import type { ClusterDoc, Decision } from './types.ts';

/** Story postings visited per entry when drawing candidates (rarest terms first). */
const POSTINGS_BUDGET = 1500;
/** Analysed entries kept across window moves and resets (a window of a busy deployment holds about this many). */
const FEATURE_CACHE_ENTRIES = 30_000;

/** An entry's analysis: it depends on its text only, so it survives the entry leaving and re-entering the window. */
interface Features {
  title: string;
  summary: string;
  weights: TermWeights;
  searchTerms: string[];
  key: string | null;
  live: boolean;
  /** Share of the entry's term weight in character bigrams (Chinese, Japanese, Korean). */
  bigramShare: number;
}

interface Prepared {
  doc: ClusterDoc;
  weights: TermWeights;
  key: string | null;
  live: boolean;
  bigramShare: number;
  /** Vector over the terms the corpus knew at `version`, and the norm including unknown terms. */
  vector: SparseVector;
  norm: number;
  /** Squared weight of the terms the corpus did not know (not in `vector`). */
  unseen: number;
  version: number;
}

/**
 * Groups entries into stories: same URL, same headline, or a similar headline and lede within the window.
 * Every score is a function of the entries it holds now (IDF, norms and story centroids are recomputed for the
 * current set, never carried over from an earlier one), so the same entries give the same decisions however
 * they were loaded.
 */
export class StoryClusterer {
  private readonly opts: ResolvedOptions;
  private readonly aliases: AliasTable;
  private readonly windowMs: number;
  private readonly decayMs: number;
  private corpus = new Corpus();
  private postings = new Postings(this.corpus);
  private readonly stories = new Map<number, Story>();
  private readonly storyOf = new Map<number, Story>();
  private readonly byUrl = new Map<string, Set<Story>>();
  private readonly byHeadline = new Map<string, Set<Story>>();
  private readonly features = new LRUCache<number, Features>({ max: FEATURE_CACHE_ENTRIES });
  // Bumped on every change of the corpus, so a prepared vector knows when it is stale.
  private version = 0;
  private stamp = 0;
  private dense: Float64Array = new Float64Array(1024);
  // Scratch of centroid norms: the sum of a story's unit vectors, by term id.
  private acc: Float64Array = new Float64Array(1024);
  // Scratch of the term ids set in acc (no allocation per story scored).
  private accIds: Int32Array = new Int32Array(1024);
  // Stories touched by the candidate search under way (reused: only its first entries are the current search's).
  private touched: Story[] = [];
  // decide() then add() of the same entry is the common path: analyse it once.
  private last: Prepared | null = null;

  constructor(opts: ClustererOptions = {}) {
    this.opts = resolveOptions(opts);
    this.aliases = opts.aliases ?? loadAliases();
    this.windowMs = this.opts.windowHours * 3600e3;
    this.decayMs = this.opts.decayHours * 3600e3;
  }

  /** Decide which existing story (if any) this doc joins. Does not mutate. */
  decide(doc: ClusterDoc): Decision {
    const byUrl = doc.canonicalUrl ? first(this.byUrl.get(doc.canonicalUrl), () => true) : undefined;
    if (byUrl) return { storyId: byUrl.id, reason: 'url', score: 1 };
    const p = this.prepare(doc);
    const byKey = p.key ? first(this.byHeadline.get(p.key), (s) => s.spans(doc.publishedAt, this.windowMs)) : undefined;
    if (byKey) return { storyId: byKey.id, reason: 'headline', score: 1 };
    const best = this.bestStory(p);
    const score = this.calibrated(p, best?.score ?? 0);
    if (best && score >= this.opts.minScore) return { storyId: best.story.id, reason: 'similar', score: round(score) };
    return { storyId: null, reason: 'new', score: round(score) };
  }

  /**
   * How well doc fits the story it is in (itself left out): 1 for the same URL or headline, else its similarity
   * to the other members. An edited entry stays in its story while this reaches the threshold.
   */
  fit(doc: ClusterDoc, storyId: number): number {
    const story = this.stories.get(storyId);
    if (!story) return 0;
    const others = story.members.filter((m) => m.entryId !== doc.entryId);
    if (others.length === 0) return 0;
    const p = this.prepare(doc);
    if (doc.canonicalUrl && others.some((m) => m.url === doc.canonicalUrl)) return 1;
    if (p.key && others.some((m) => m.headlineKey === p.key)) return 1;
    const self = story.members.find((m) => m.entryId === doc.entryId);
    if (self) this.forget(doc.entryId);
    // Scored against the corpus without the entry itself: its vector and norm are taken again after forgetting it.
    const q = this.prepare(doc);
    this.spread(q.vector);
    const score = this.calibrated(q, this.scoreStory(q, story));
    this.unspread(q.vector);
    if (self) this.add(doc, storyId);
    return round(score);
  }

  /**
   * The search index's terms of doc (see entrySearchTerms), from the analysis deciding it uses: an entry indexed
   * before it is decided is analysed once.
   */
  searchTerms(doc: ClusterDoc): string[] {
    return this.analyse(doc).searchTerms;
  }

  /** Whether the minimum score of a similarity join is reached. */
  joins(score: number): boolean {
    return score >= this.opts.minScore;
  }

  /** Record that doc belongs to storyId (after decide, or when loading stored assignments). */
  add(doc: ClusterDoc, storyId: number): void {
    if (this.storyOf.has(doc.entryId)) this.forget(doc.entryId);
    // Adding needs the analysis only (the vector is built with new terms interned), not a vector for deciding.
    const last = this.last;
    const f = last && last.doc.title === doc.title && last.doc.summary === doc.summary ? last : this.analyse(doc);
    let story = this.stories.get(storyId);
    if (!story) this.stories.set(storyId, (story = new Story(storyId))), this.corpus.storyCount(1);
    // Deciding built the vector over the known terms; when it holds every term and nothing changed since, it is the member's.
    const known = f === last && last.version === this.version && last.vector.ids.length === last.weights.size ? last.vector : null;
    const member = this.toMember(doc, f, known);
    story.push(member);
    this.corpus.addDoc(member.vector.ids);
    this.version++;
    this.postings.add(story, member.vector.ids);
    this.storyOf.set(doc.entryId, story);
    if (member.url) listUnder(this.byUrl, member.url, story);
    if (member.headlineKey) listUnder(this.byHeadline, member.headlineKey, story);
  }

  /** Forgets an entry (it left the window, or it is about to be re-decided); false when it was not held. */
  remove(entryId: number): boolean {
    if (!this.storyOf.has(entryId)) return false;
    this.forget(entryId);
    return true;
  }

  /** The story an entry is held in. */
  storyOfEntry(entryId: number): number | undefined {
    return this.storyOf.get(entryId)?.id;
  }

  /** Forgets every entry (the analysed texts stay cached). */
  clear(): void {
    this.stories.clear();
    this.storyOf.clear();
    this.byUrl.clear();
    this.byHeadline.clear();
    this.corpus = new Corpus();
    this.postings = new Postings(this.corpus);
    this.version++;
    this.last = null;
    this.touched = [];
  }

  /** Drop state older than the window relative to `now` so memory stays bounded. */
  prune(now: number): void {
    const cutoff = now - this.windowMs;
    for (const story of this.stories.values()) {
      if (story.maxT < cutoff) this.drop(story);
    }
  }

  /** Live stories, entries and terms (for memory checks). */
  get size(): { stories: number; entries: number; terms: number } {
    return { stories: this.stories.size, entries: this.storyOf.size, terms: this.corpus.terms };
  }

  private prepare(doc: ClusterDoc): Prepared {
    let p = this.last;
    // Features depend on the text only; the other fields (time, source, URL) are always taken from this call's doc.
    if (p && p.doc.title === doc.title && p.doc.summary === doc.summary) p.doc = doc;
    else {
      const f = this.analyse(doc);
      p = { doc, weights: f.weights, key: f.key, live: f.live, bigramShare: f.bigramShare, vector: EMPTY, norm: 0, unseen: 0, version: -1 };
      this.last = p;
    }
    if (p.version !== this.version) {
      const { vector, unseen } = toVector(p.weights, this.corpus, false);
      [p.vector, p.norm, p.unseen, p.version] = [vector, norm(vector, this.corpus, unseen), unseen, this.version];
    }
    return p;
  }

  private analyse(doc: ClusterDoc): Features {
    const cached = this.features.get(doc.entryId);
    if (cached && cached.title === doc.title && cached.summary === doc.summary) return cached;
    const { weights, bigramShare, searchTerms } = analyzeEntry(doc.title, doc.summary, this.aliases, this.opts.features);
    const f = { title: doc.title, summary: doc.summary, weights, searchTerms, key: headlineKey(doc.title, doc.summary), live: isLiveTitle(doc.title), bigramShare };
    this.features.set(doc.entryId, f);
    return f;
  }

  private toMember(doc: ClusterDoc, f: Pick<Features, 'weights' | 'key' | 'live'>, known: SparseVector | null): Member {
    const vector = known ?? toVector(f.weights, this.corpus, true).vector;
    return { entryId: doc.entryId, sourceId: doc.sourceId, publishedAt: doc.publishedAt, vector, url: doc.canonicalUrl, headlineKey: f.key, live: f.live, norm: 0, normVersion: -1 };
  }

  // Character bigrams split a word into overlapping pairs and pair across word boundaries, so the same overlap of
  // wording gives a lower cosine in Chinese or Japanese than in spaced scripts: their scores are scaled up to match.
  private calibrated(p: Prepared, score: number): number {
    return Math.min(1, score / (1 - (1 - this.opts.bigramScale) * p.bigramShare));
  }

  private bestStory(p: Prepared): { story: Story; score: number } | null {
    let best: Story | null = null, bestScore = -1, second = 0;
    const candidates = this.candidates(p);
    this.spread(p.vector);
    for (const story of candidates) {
      const score = this.scoreStory(p, story);
      // Candidates come ranked with ties broken by id, so the first of equal scores wins deterministically.
      if (score > bestScore) [best, bestScore, second] = [story, score, Math.max(bestScore, 0)];
      else if (score > second) second = score;
    }
    this.unspread(p.vector);
    // A story that only wins by a hair over another shares the topic, not necessarily the event.
    return best ? { story: best, score: bestScore - this.opts.margin * second } : null;
  }

  // Stories in the window ranked by the IDF mass of the rarer terms they share with the entry; the top few are scored.
  private candidates(p: Prepared): Story[] {
    const stamp = ++this.stamp;
    const touched = this.touched;
    let n = 0;
    const common = Math.max(20, this.opts.commonShare * this.corpus.size);
    const { ids, weights } = p.vector;
    // Rarest terms first: they find the story; once enough postings were visited, the commoner terms
    // (tiny idf² mass) would only add cost, so the walk stops there and its cost per entry stays bounded.
    const order = this.postingsOrder(ids, common);
    let visited = 0;
    for (const i of order) {
      const stories = this.postings.get(ids[i]);
      if (!stories) continue;
      if (visited >= POSTINGS_BUDGET) break;
      visited += stories.size;
      const idf = this.corpus.idf(ids[i]);
      const w = weights[i] * idf * idf;
      // The hottest loop of ingest (about a thousand stories per entry): whether a story spans the entry's date is
      // asked only of the few that would rank (topByMass), not of every story touched.
      for (const s of stories) {
        if (s.stamp === stamp) s.mass += w;
        else (s.stamp = stamp), (s.mass = w), (touched[n++] = s);
      }
    }
    const top = topByMass(touched, n, this.opts.maxCandidates, (s) => s.spans(p.doc.publishedAt, this.windowMs));
    // Stories sharing a tenth of the leader's rare-term mass never win; skipping them halves the scoring cost.
    const floor = (top[0]?.mass ?? 0) * 0.1;
    return top.filter((s) => s.mass >= floor);
  }

  // The entry's term indexes worth walking (not common), rarest first only when they would exceed the budget.
  private postingsOrder(ids: Int32Array, common: number): number[] {
    const order: number[] = [];
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const size = this.postings.get(ids[i])?.size ?? 0;
      if (size === 0 || this.corpus.count(ids[i]) > common) continue;
      order.push(i);
      total += size;
    }
    if (total <= POSTINGS_BUDGET) return order;
    const counts = new Map(order.map((i) => [i, this.corpus.count(ids[i])]));
    return order.sort((a, b) => counts.get(a)! - counts.get(b)! || a - b);
  }

  private scoreStory(p: Prepared, story: Story): number {
    let sum = 0, max = 0, otherOutlets = 0, ownPiece = false, update = false;
    for (const m of story.members) {
      const raw = this.cosToSpread(p.norm, m);
      if (m.sourceId !== p.doc.sourceId) otherOutlets = Math.max(otherOutlets, raw);
      // Another piece of the entry's own outlet: an update of one article reads alike (or both are entries of the
      // outlet's live blog); a second article on the event (a follow-up, an explainer) does not, and joins only when
      // another outlet's report vouches for the story.
      else if (raw >= this.opts.sameSourceMin || (p.live && m.live)) update = true;
      else ownPiece = true;
      const c = raw * this.closeness(p.doc.publishedAt - m.publishedAt);
      sum += c;
      max = Math.max(max, c);
    }
    // Chaining is bounded: a story of chainLimit members takes no second article of an outlet it holds (only updates,
    // live-blog entries and other outlets' reports), and takes entries on its likeness as a whole, not to one member.
    const large = story.members.length >= this.opts.chainLimit;
    if (ownPiece && !update && (large || otherOutlets < this.opts.vouchMin)) return 0;
    const centroidNorm = this.centroidNorm(story);
    const centroid = centroidNorm > 0 ? sum / centroidNorm : 0;
    if (large) return centroid;
    return this.opts.centroidWeight * centroid + (1 - this.opts.centroidWeight) * max;
  }

  // Outlets cover one event within hours of each other; the further apart, the stronger the text must agree.
  private closeness(deltaMs: number): number {
    return this.decayMs > 0 ? Math.exp(-Math.abs(deltaMs) / this.decayMs) : 1;
  }

  // The entry being decided is spread into a dense array (weight × IDF² by term id), so each member costs one pass.
  private spread(v: SparseVector): void {
    const max = v.ids.length ? v.ids[v.ids.length - 1] : 0;
    if (max >= this.dense.length) this.dense = new Float64Array(Math.max(max + 1, this.dense.length * 2));
    for (let i = 0; i < v.ids.length; i++) {
      const idf = this.corpus.idf(v.ids[i]);
      this.dense[v.ids[i]] = v.weights[i] * idf * idf;
    }
  }

  private unspread(v: SparseVector): void {
    for (const id of v.ids) this.dense[id] = 0;
  }

  private cosToSpread(vectorNorm: number, m: Member): number {
    const mNorm = this.memberNorm(m);
    if (vectorNorm === 0 || mNorm === 0) return 0;
    let sum = 0;
    const { ids, weights } = m.vector, dense = this.dense;
    for (let i = 0; i < ids.length; i++) if (ids[i] < dense.length) sum += dense[ids[i]] * weights[i];
    return sum / (vectorNorm * mNorm);
  }

  // Norms follow the IDF of the entries held now: recomputed once per change of the corpus, when the member is scored.
  private memberNorm(m: Member): number {
    if (m.normVersion !== this.version) [m.norm, m.normVersion] = [norm(m.vector, this.corpus), this.version];
    return m.norm;
  }

  // The centroid's norm: |Σ uᵢ| over the members' unit vectors under the current IDF (what a pair sum of cosines
  // would give, without carrying cosines computed under an older IDF).
  private centroidNorm(story: Story): number {
    if (story.centroidVersion === this.version) return story.centroidNorm;
    let n = 0;
    for (const m of story.members) {
      const mNorm = this.memberNorm(m);
      if (mNorm === 0) continue;
      const { ids, weights } = m.vector;
      if (ids.length && ids[ids.length - 1] >= this.acc.length) this.acc = growTo(this.acc, ids[ids.length - 1] + 1);
      if (n + ids.length > this.accIds.length) this.accIds = growInt32(this.accIds, n + ids.length);
      const acc = this.acc;
      for (let i = 0; i < ids.length; i++) {
        if (acc[ids[i]] === 0) this.accIds[n++] = ids[i];
        acc[ids[i]] += (weights[i] * this.corpus.idf(ids[i])) / mNorm;
      }
    }
    let sq = 0;
    for (let j = 0; j < n; j++) {
      const id = this.accIds[j];
      sq += this.acc[id] * this.acc[id];
      this.acc[id] = 0;
    }
    [story.centroidNorm, story.centroidVersion] = [Math.sqrt(sq), this.version];
    return story.centroidNorm;
  }

  private forget(entryId: number): void {
    const story = this.storyOf.get(entryId);
    this.storyOf.delete(entryId);
    const m = story?.remove(entryId);
    if (!story || !m) return;
    const kept = new Set(story.members.flatMap((x) => [...x.vector.ids]));
    this.postings.remove(story, [...m.vector.ids].filter((id) => !kept.has(id)));
    this.corpus.removeDoc(m.vector.ids);
    this.version++;
    this.unindex(m, story);
    if (story.members.length === 0) this.stories.delete(story.id), this.corpus.storyCount(-1);
  }

  // Pruning drops whole stories: unlist them once instead of member by member.
  private drop(story: Story): void {
    const ids = new Set<number>();
    for (const m of story.members) {
      for (const id of m.vector.ids) ids.add(id);
      this.storyOf.delete(m.entryId);
      if (m.url) unlist(this.byUrl, m.url, story);
      if (m.headlineKey) unlist(this.byHeadline, m.headlineKey, story);
    }
    this.postings.remove(story, ids);
    for (const m of story.members) this.corpus.removeDoc(m.vector.ids);
    this.version++;
    this.stories.delete(story.id);
    this.corpus.storyCount(-1);
  }

  // A URL or headline stays listed under a story while one of its members still holds it.
  private unindex(m: Member, story: Story): void {
    if (m.url && !story.members.some((x) => x.url === m.url)) unlist(this.byUrl, m.url, story);
    if (m.headlineKey && !story.members.some((x) => x.headlineKey === m.headlineKey)) unlist(this.byHeadline, m.headlineKey, story);
  }
}

function listUnder(map: Map<string, Set<Story>>, key: string, story: Story): void {
  const set = map.get(key);
  if (set) set.add(story);
  else map.set(key, new Set([story]));
}

function unlist(map: Map<string, Set<Story>>, key: string, story: Story): void {
  const set = map.get(key);
  if (!set?.delete(story)) return;
  if (set.size === 0) map.delete(key);
}

// The story of lowest id that passes `ok`: when several stories share a URL or headline, the choice never
// depends on the order they were loaded in.
function first(set: Set<Story> | undefined, ok: (s: Story) => boolean): Story | undefined {
  let best: Story | undefined;
  if (set) for (const s of set) if (ok(s) && (!best || s.id < best.id)) best = s;
  return best;
}

function growTo(a: Float64Array, min: number): Float64Array {
  const next = new Float64Array(Math.max(min, a.length * 2));
  next.set(a);
  return next;
}

const EMPTY: SparseVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

// The k stories of most mass among the first n touched that pass `ok`, best first (ties by id); a bounded
// insertion, as thousands may be touched.
function topByMass(touched: Story[], n: number, k: number, ok: (s: Story) => boolean): Story[] {
  const top: Story[] = [];
  const before = (a: Story, b: Story) => a.mass > b.mass || (a.mass === b.mass && a.id < b.id);
  for (let j = 0; j < n; j++) {
    const s = touched[j];
    if (!(s.mass > 0) || (top.length === k && !before(s, top[k - 1])) || !ok(s)) continue;
    let i = top.length < k ? top.length : k - 1;
    while (i > 0 && before(s, top[i - 1])) top[i] = top[i - 1], i--;
    top[i] = s;
  }
  return top;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}


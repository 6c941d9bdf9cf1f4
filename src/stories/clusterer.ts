// StoryClusterer: decides which live story an entry reports, layer by layer, cheapest first.
import { loadAliases, type AliasTable } from './aliases.ts';
import { DocumentFrequencies } from './corpus.ts';
import { headlineKey } from './headline.ts';
import { resolveOptions, type ClustererOptions, type ResolvedOptions } from './options.ts';
import { Postings } from './postings.ts';
import { Story, type Member } from './story.ts';
import { buildFeatures, dot, norm, type TermWeights } from './vector.ts';
import type { ClusterDoc, Decision } from './types.ts';

interface Prepared {
  doc: ClusterDoc;
  weights: TermWeights;
  norm: number;
  key: string | null;
}

/** Groups entries into stories: same URL, same headline, or a similar headline and lede within the window. */
export class StoryClusterer {
  private readonly opts: ResolvedOptions;
  private readonly aliases: AliasTable;
  private readonly windowMs: number;
  private readonly df = new DocumentFrequencies();
  private readonly postings = new Postings();
  private readonly stories = new Map<number, Story>();
  private readonly storyOf = new Map<number, number>();
  private readonly byUrl = new Map<string, number>();
  private readonly byHeadline = new Map<string, number>();
  // decide() then add() of the same entry is the common path: analyse it once.
  private last: Prepared | null = null;

  constructor(opts: ClustererOptions = {}) {
    this.opts = resolveOptions(opts);
    this.aliases = opts.aliases ?? loadAliases();
    this.windowMs = this.opts.windowHours * 3600e3;
  }

  /** Decide which existing story (if any) this doc joins. Does not mutate. */
  decide(doc: ClusterDoc): Decision {
    const byUrl = doc.canonicalUrl ? this.byUrl.get(doc.canonicalUrl) : undefined;
    if (byUrl !== undefined) return { storyId: byUrl, reason: 'url', score: 1 };
    const p = this.prepare(doc);
    const byKey = p.key ? this.byHeadline.get(p.key) : undefined;
    if (byKey !== undefined && this.stories.get(byKey)?.spans(doc.publishedAt, this.windowMs)) {
      return { storyId: byKey, reason: 'headline', score: 1 };
    }
    const best = this.bestStory(p);
    if (best && best.score >= this.opts.minScore) return { storyId: best.id, reason: 'similar', score: round(best.score) };
    return { storyId: null, reason: 'new', score: round(best?.score ?? 0) };
  }

  /** Record that doc belongs to storyId (after decide, or when replaying stored assignments at start-up). */
  add(doc: ClusterDoc, storyId: number): void {
    const p = this.prepare(doc);
    if (this.storyOf.has(doc.entryId)) this.forget(doc.entryId);
    let story = this.stories.get(storyId);
    if (!story) this.stories.set(storyId, (story = new Story(storyId)));
    const member = this.toMember(p);
    story.push(member, this.cosWithAll(member, story.members));
    this.df.add(member.weights);
    this.postings.add(storyId, member.weights);
    this.storyOf.set(doc.entryId, storyId);
    if (member.url) this.byUrl.set(member.url, storyId);
    if (member.headlineKey) this.byHeadline.set(member.headlineKey, storyId);
  }

  /** Drop state older than the window relative to `now` so memory stays bounded. */
  prune(now: number): void {
    const cutoff = now - this.windowMs;
    for (const story of this.stories.values()) {
      if (story.maxT >= cutoff) continue;
      for (const m of [...story.members]) this.forget(m.entryId);
    }
  }

  /** Live stories and entries (for memory checks). */
  get size(): { stories: number; entries: number; terms: number } {
    return { stories: this.stories.size, entries: this.storyOf.size, terms: this.df.terms };
  }

  private prepare(doc: ClusterDoc): Prepared {
    const l = this.last;
    if (l && l.doc.entryId === doc.entryId && l.doc.title === doc.title && l.doc.summary === doc.summary) return l;
    const weights = buildFeatures(doc.title, doc.summary, this.aliases, this.opts.features);
    this.last = { doc, weights, norm: norm(weights, this.df.idf), key: headlineKey(doc.title, doc.summary) };
    return this.last;
  }

  private toMember(p: Prepared): Member {
    const { doc } = p;
    return {
      entryId: doc.entryId, sourceId: doc.sourceId, publishedAt: doc.publishedAt, weights: p.weights,
      url: doc.canonicalUrl, headlineKey: p.key, norm: p.norm, normAt: this.df.size,
    };
  }

  private bestStory(p: Prepared): { id: number; score: number } | null {
    let bestId = -1, bestScore = -1;
    for (const id of this.candidates(p)) {
      const score = this.scoreStory(p, this.stories.get(id)!);
      // Candidates come ranked with ties broken by id, so the first of equal scores wins deterministically.
      if (score > bestScore) [bestId, bestScore] = [id, score];
    }
    return bestId < 0 ? null : { id: bestId, score: bestScore };
  }

  // Stories in the window ranked by the IDF mass of the rarer terms they share with the entry; the top few are scored.
  private candidates(p: Prepared): number[] {
    const mass = new Map<number, number>();
    const common = Math.max(20, this.opts.commonShare * this.df.size);
    for (const [t, w] of p.weights) {
      const ids = this.postings.get(t);
      if (!ids || this.df.count(t) > common) continue;
      const idf = this.df.idf(t);
      for (const id of ids) {
        const m = mass.get(id);
        if (m === undefined) mass.set(id, this.stories.get(id)!.spans(p.doc.publishedAt, this.windowMs) ? w * idf * idf : -Infinity);
        else mass.set(id, m + w * idf * idf);
      }
    }
    return topIds(mass, this.opts.maxCandidates);
  }

  private scoreStory(p: Prepared, story: Story): number {
    let sum = 0, max = 0;
    for (const m of story.members) {
      const c = this.cos(p.weights, p.norm, m);
      if (m.sourceId === p.doc.sourceId && c < this.opts.sameSourceMin) return 0;
      sum += c;
      max = Math.max(max, c);
    }
    const n = story.members.length;
    const centroid = sum / Math.sqrt(n + 2 * story.pairSum);
    return this.opts.centroidWeight * centroid + (1 - this.opts.centroidWeight) * max;
  }

  private cos(weights: TermWeights, weightsNorm: number, m: Member): number {
    if (weightsNorm === 0) return 0;
    const mNorm = this.memberNorm(m);
    return mNorm === 0 ? 0 : dot(weights, m.weights, this.df.idf) / (weightsNorm * mNorm);
  }

  // Norms follow the IDF as the corpus grows; recompute only when it has drifted.
  private memberNorm(m: Member): number {
    if (Math.abs(this.df.size - m.normAt) > 0.05 * m.normAt + 10) {
      m.norm = norm(m.weights, this.df.idf);
      m.normAt = this.df.size;
    }
    return m.norm;
  }

  private cosWithAll(member: Member, others: Member[]): number {
    let sum = 0;
    for (const o of others) sum += this.cos(member.weights, this.memberNorm(member), o);
    return sum;
  }

  private forget(entryId: number): void {
    const storyId = this.storyOf.get(entryId);
    const story = storyId === undefined ? undefined : this.stories.get(storyId);
    this.storyOf.delete(entryId);
    const m = story?.remove(entryId);
    if (!story || !m) return;
    this.df.remove(m.weights);
    const kept = new Set(story.members.flatMap((x) => [...x.weights.keys()]));
    this.postings.remove(story.id, [...m.weights.keys()].filter((t) => !kept.has(t)));
    if (m.url && this.byUrl.get(m.url) === story.id) this.byUrl.delete(m.url);
    if (m.headlineKey && this.byHeadline.get(m.headlineKey) === story.id) this.byHeadline.delete(m.headlineKey);
    if (story.members.length === 0) this.stories.delete(story.id);
    else story.pairSum = this.pairSumOf(story.members);
  }

  private pairSumOf(members: Member[]): number {
    let sum = 0;
    for (let i = 1; i < members.length; i++) sum += this.cosWithAll(members[i], members.slice(0, i));
    return sum;
  }
}

function topIds(mass: Map<number, number>, k: number): number[] {
  const live = [...mass].filter(([, m]) => m > 0);
  live.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return live.slice(0, k).map(([id]) => id);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../src/normalize/mojibake.ts';
import { publishableText } from '../../src/normalize/text.ts';
import { normalized } from '../parse/feed-bytes.ts';

describe('repairMojibake', () => {
  it('turns UTF-8 read as Latin-1 or Windows-1252 back into the characters it spelled', () => {
    expect(repairMojibake('a Queenstown cafÃ© without')).toBe('a Queenstown café without');
    // Latin-1: the dash's continuation bytes are C1 controls.
    expect(repairMojibake('expectations â\u0080\u0093 despite')).toBe('expectations – despite');
    // Windows-1252: they are € and “ / ™.
    expect(repairMojibake('didnâ€™t â€“ Â£5')).toBe('didn’t – £5');
    expect(repairMojibake('ÐŸÑ€Ð¸Ð²ÐµÑ‚, SÃ£o Paulo ðŸ˜€')).toBe('Привет, São Paulo 😀');
  });

  it('leaves real accented text and partial sequences alone', () => {
    for (const text of ['Zürich, São Paulo, à la carte, naïve façade, Ångström, Ærø', 'Ã', 'Ã alone', 'â€ cut short', 'Ð', 'ÿ¿']) {
      expect(repairMojibake(text)).toBe(text);
    }
  });

  it('leaves French punctuation alone although a letter, a no-break space and a guillemet spell a valid sequence', () => {
    // "à\u00A0»" is E0 A0 BB (U+083B) and "É\u00A0" is C9 A0 (U+0260) read as bytes; the other letters and guillemets
    // of the same text spell no sequence, so it was written in Latin-1's characters, not damaged.
    for (const text of ['« voilà\u00A0»', '«\u00A0L’ÉTÉ\u00A0»', 'a-t-il déclaré\u00A0»']) {
      expect(repairMojibake(text)).toBe(text);
    }
    // A run cut short leaves the whole text as it is, not half repaired.
    expect(repairMojibake('cafÃ© â€ cut')).toBe('cafÃ© â€ cut');
  });

  it('runs inside publishableText before C1 controls are dropped, so the dash survives', () => {
    expect(publishableText('one â\u0080\u0093 two')).toBe('one – two');
    expect(publishableText('stray \u0085 control')).toBe('stray  control');
  });

  it('repairs the titles and summaries of a polled feed', async () => {
    const feed = `<rss version="2.0"><channel><title>T</title><item><title>Crash at cafÃ©</title>
      <description>It didnâ€™t stop â\u0080\u0093 police</description><link>https://news.example/a</link></item></channel></rss>`;
    const entry = (await normalized(feed)).entries[0];
    expect(entry.title).toBe('Crash at café');
    expect(entry.summary).toBe('It didn’t stop – police');
  });
});

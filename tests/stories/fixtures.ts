// Hand-written entries for the clustering tests (no real outlet's text).
import type { ClusterDoc } from '../../src/stories/index.ts';

export const HOUR = 3600e3;
export const T0 = Date.UTC(2025, 4, 16, 9);

let nextId = 1;

/** An entry with defaults for the fields a test does not care about. */
export function doc(sourceId: string, title: string, summary = '', hours = 0, url: string | null = null): ClusterDoc {
  return { entryId: nextId++, sourceId, title, summary, canonicalUrl: url, publishedAt: T0 + hours * HOUR };
}

/** Unrelated news of the same days, as the start-up replay would bring: it gives the IDF something to count. */
export const BACKGROUND: [string, string][] = [
  ['Central bank holds interest rates steady amid inflation worries', 'The central bank kept its benchmark rate unchanged on Thursday, citing persistent price pressures in services.'],
  ['Heatwave grips southern Europe as temperatures top 40C', 'Authorities in Spain and Italy issued red alerts as a heatwave pushed temperatures above 40 degrees Celsius.'],
  ['Tech giant unveils new smartphone with foldable screen', 'The company showed off its latest handset at an event in California, promising a longer battery life.'],
  ['Football club sacks manager after run of defeats', 'The Premier League side parted ways with its coach following six losses in seven matches.'],
  ['Wildfires force thousands to evacuate in Canada', 'Firefighters battled blazes across British Columbia as dry winds fanned the flames overnight.'],
  ['Oil prices climb after producers agree output cuts', 'Brent crude rose more than 2% after a group of exporters agreed to extend supply reductions.'],
  ['Parliament passes controversial immigration bill', 'Lawmakers approved the measure by a narrow margin after a heated overnight debate.'],
  ['Scientists discover new species of deep-sea fish', 'Researchers exploring a trench in the Pacific found a translucent fish living at 8,000 metres.'],
  ['Train drivers announce strike over pay dispute', 'The union said members would walk out for 48 hours next week after talks with operators collapsed.'],
  ['Stock markets rally on strong jobs data', 'Shares rose across Asia and Europe after figures showed employers added more workers than expected.'],
  ['Floods kill dozens in Bangladesh after monsoon rains', 'Rivers burst their banks in the north of the country, cutting off villages and destroying crops.'],
  ['Election commission confirms date for presidential runoff', 'The two leading candidates will face each other in a second round next month.'],
  ['Airline cancels flights as air traffic controllers walk out', 'Hundreds of flights were grounded across France on Tuesday during a one-day strike.'],
  ['Vaccine maker reports strong quarterly profits', 'The pharmaceutical group raised its annual forecast on demand for its respiratory vaccines.'],
  ['Tennis star withdraws from tournament with wrist injury', 'The world number three pulled out before her opening match, saying she needed rest.'],
  ['Government announces plan to build new nuclear reactors', 'Ministers said six reactors would be built over two decades to cut reliance on imported gas.'],
  ['Protesters clash with police over fuel price rises', 'Demonstrators blocked roads in the capital after the government ended fuel subsidies.'],
  ['Car maker recalls 300,000 vehicles over brake fault', 'Owners were told to contact dealers after reports of brake pedals failing in cold weather.'],
  ['Museum returns looted artefacts to Nigeria', 'The bronze sculptures were handed over at a ceremony attended by officials from both countries.'],
  ['Putin signs decree raising conscription age', 'Vladimir Putin signed a decree on Monday raising the upper age for military service, the Kremlin said.'],
  ['Russian strikes on Kharkiv kill three, Ukraine says', 'Russian missiles hit residential buildings in Kharkiv overnight, Ukrainian officials said.'],
  ['Kremlin says Putin has no plans to attend summit', 'Vladimir Putin will not travel to the summit next week, Kremlin spokesman Dmitry Peskov told reporters.'],
  ['Ukraine war: EU agrees new sanctions package against Russia', 'The European Union adopted its latest round of sanctions targeting Russian oil and banks.'],
  ['Drought threatens harvest in East Africa, UN warns', 'Millions face hunger as a third failed rainy season withers crops in Kenya, Ethiopia and Somalia.'],
];

/** The background as entries of several outlets spread over the day before T0. */
export function background(): ClusterDoc[] {
  return BACKGROUND.map(([title, summary], i) => doc(`wire-${i % 5}`, title, summary, -24 + i));
}

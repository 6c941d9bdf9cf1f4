// Republished HTML and text cleaned with sanitize-html: a small allow-list, http(s) URLs only, all made absolute.
import sanitize from 'sanitize-html';
import { decodeHTML } from 'entities';
import { publishedUrl } from './links.ts';
import { publishableText } from '../normalize/text.ts';

// Elements whose text must go with them, not be kept as loose text.
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'svg', 'math', 'object', 'iframe', 'title', 'head'];

const ALLOWED_TAGS = [
  'p', 'br', 'a', 'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'small', 'code', 'pre', 'q', 'cite', 'abbr',
  'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'figure', 'figcaption',
];

/** Sanitises republished HTML: allow-listed tags only, no scripts/styles/frames/handlers, http(s) href/src made absolute against baseUrl. */
export function sanitizeHtml(html: string, baseUrl: string | null): string {
  return sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    // An image's size lets readers lay out the item before the picture loads.
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title', 'width', 'height'], abbr: ['title'] },
    nonTextTags: DROPPED_WITH_CONTENT,
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    transformTags: { a: absolutize('href', baseUrl), img: absolutize('src', baseUrl) },
    // An image without a usable source is only a broken box.
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  });
}

/** Plain text of a string that may carry leftover markup or entities: tags (and script/style content) removed, entities decoded once. */
export function toPlainText(text: string): string {
  if (!/[<&]/.test(text)) return collapseSpace(text);
  const escaped = sanitize(text, { allowedTags: [], allowedAttributes: {}, nonTextTags: DROPPED_WITH_CONTENT });
  return collapseSpace(decodeHTML(escaped));
}

function collapseSpace(text: string): string {
  // Illegal characters go first so the gaps they leave collapse too.
  return publishableText(text).replace(/\s+/g, ' ').trim();
}

// Relative links would resolve against our feed, not the article; unresolvable or non-http(s) ones are dropped.
function absolutize(attr: string, baseUrl: string | null): sanitize.Transformer {
  return (tagName, attribs) => {
    const { [attr]: value, ...rest } = attribs;
    const url = value === undefined ? null : publishedUrl(value, baseUrl);
    return { tagName, attribs: url ? { ...rest, [attr]: url } : rest };
  };
}

// Text made safe for XML 1.0: cleaned as every published text is (publishableText), then escaped.
import { publishableText } from '../normalize/text.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Cleans and escapes text once for element content or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  // `>` is escaped too so that `]]>` can never appear in content.
  return publishableText(text).replace(/[&<>"]/g, (c) => ESCAPES[c]);
}

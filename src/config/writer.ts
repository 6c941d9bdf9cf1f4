// Writes feeds.json back in its house style: one source or feed per line, so diffs stay readable.
import { parseConfig } from './load.ts';

/** Formats a raw config object: top-level keys indented, each item of sources/feeds on one line. */
export function formatConfig(raw: Record<string, unknown>): string {
  const lines = Object.entries(raw).map(([key, value]) => {
    if (Array.isArray(value) && value.every((v) => v && typeof v === 'object')) {
      const items = value.map((v) => `    ${oneLine(v)}`);
      return `  ${JSON.stringify(key)}: [${items.length ? `\n${items.join(',\n')}\n  ` : ''}]`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

// JSON.stringify on one line, with a space after colons and commas like a person writes it.
function oneLine(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']');
}

/** Formats and re-validates; throws ConfigError if the result would not load. */
export function formatValidConfig(raw: Record<string, unknown>, file: string): string {
  const text = formatConfig(raw);
  parseConfig(text, file);
  return text;
}

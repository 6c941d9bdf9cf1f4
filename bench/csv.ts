// A small RFC 4180 CSV reader: quoted fields with commas, newlines and doubled quotes.
import fs from 'node:fs';

/** Reads a CSV file with a header row into one record per row (rows of the wrong width are skipped). */
export function readCsv(file: string): Record<string, string>[] {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const [head, ...rest] = rows;
  if (!head) return [];
  return rest.filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

/** Splits CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

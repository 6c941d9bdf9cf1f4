// /openapi.json and a readable reference page generated from it (/api/docs).
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { openApiDocument } from '../openapi.ts';

type Operation = { summary: string; description?: string; parameters?: { name: string; in: string; description?: string; schema: Record<string, unknown> }[]; responses: Record<string, { description: string }> };

/** Routes of the API's own documentation. */
export function docsRoutes(): Hono {
  const app = new Hono();
  const doc = openApiDocument();
  app.get('/openapi.json', (c) => c.json(doc));
  app.get('/api/docs', (c) => {
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'");
    return c.html(page(doc));
  });
  return app;
}

function page(doc: Record<string, unknown>) {
  const paths = doc.paths as Record<string, { get: Operation }>;
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>storywire API reference</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1d232b; }
      code { background: #eef1f4; padding: 0 .25em; border-radius: 3px; }
      table { border-collapse: collapse; width: 100%; font-size: .95em; }
      th, td { text-align: left; border-bottom: 1px solid #d5dbe1; padding: .3em .5em; vertical-align: top; }
      h2 { margin-top: 2rem; font-size: 1.15rem; }
    </style>
  </head>
  <body>
    <h1>storywire API reference</h1>
    <p>Generated from <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Times are RFC 3339 UTC. Errors are
      <code>{ "error": { "code", "message" } }</code> with a 4xx status. Lists are newest first unless a
      <code>sort</code> says otherwise, and paged with an opaque <code>cursor</code>.</p>
    ${Object.entries(paths).map(([path, { get }]) => operation(path, get))}
  </body>
</html>`;
}

function operation(path: string, op: Operation) {
  const params = op.parameters ?? [];
  return html`<section>
    <h2><code>GET ${path}</code></h2>
    <p>${op.summary}</p>
    ${(op.description ?? '').split('\n\n').filter(Boolean).map((text) => html`<p>${withCode(text)}</p>`)}
    ${params.length
      ? html`<table>
          <thead><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr></thead>
          <tbody>
            ${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${typeOf(p.schema)}</td><td>${p.description ?? ''}</td></tr>`)}
          </tbody>
        </table>`
      : raw('')}
    <p>Responses: ${Object.entries(op.responses).map(([status, r]) => html`<code>${status}</code> ${r.description}. `)}</p>
  </section>`;
}

// Markdown's `code` spans as <code>, everything else as escaped text.
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : html`${part}`));
}

function typeOf(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(', ')}`;
  const bounds = [schema.minimum !== undefined ? `≥ ${schema.minimum}` : '', schema.maximum !== undefined ? `≤ ${schema.maximum}` : '', schema.maxLength !== undefined ? `≤ ${schema.maxLength} chars` : ''].filter(Boolean);
  return `${String(schema.type ?? 'any')}${bounds.length ? ` (${bounds.join(', ')})` : ''}`;
}

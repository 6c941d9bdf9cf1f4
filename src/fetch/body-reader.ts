// Reads a response body while counting, so an oversized (or decompression-bomb) body is cut off early.

/** The whole body, or why we stopped reading it. */
export type BodyOutcome = { kind: 'body'; bytes: Uint8Array } | { kind: 'too-large'; message: string };

/** Reads at most `maxBytes` decoded bytes; calls `stop` to abort the transfer once the limit is passed. */
export async function readBody(response: Response, maxBytes: number, stop: () => void): Promise<BodyOutcome> {
  const declared = declaredLength(response);
  if (declared !== null && declared > maxBytes) {
    stop();
    return tooLarge(`Content-Length ${declared} exceeds the limit of ${maxBytes} bytes`);
  }
  if (response.body === null) return { kind: 'body', bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { kind: 'body', bytes: concat(chunks, total) };
    total += value.byteLength;
    if (total > maxBytes) {
      stop();
      return tooLarge(`body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
}

/** Content-Length as a number, or null when absent or malformed (then only the streamed count decides). */
function declaredLength(response: Response): number | null {
  const raw = response.headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

function tooLarge(detail: string): BodyOutcome {
  return { kind: 'too-large', message: `fetch: ${detail}` };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

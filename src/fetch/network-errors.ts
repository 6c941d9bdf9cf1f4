// Turns what fetch throws (a TypeError wrapping a system/undici error as `cause`) into a readable message.

/** A transport failure as a result kind plus a stage-prefixed message that keeps the cause code. */
export interface TransportFailure {
  kind: 'timeout' | 'network';
  message: string;
}

interface ErrorFacts {
  code: string | null;
  message: string;
  address: string | null;
}

// undici's own timers (connect, headers, body) are timeouts even though our deadline did not fire.
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

/** Describes an error thrown while fetching `url`; `url` fills in the host when the cause lacks it. */
export function describeTransportError(error: unknown, url: URL): TransportFailure {
  const facts = causeFacts(error);
  const where = facts.address ?? url.host;
  const kind = facts.code !== null && TIMEOUT_CODES.has(facts.code) ? 'timeout' : 'network';
  return { kind, message: `fetch: ${explain(facts, where, url.hostname)}${codeSuffix(facts.code)}` };
}

function explain(facts: ErrorFacts, where: string, hostname: string): string {
  const code = facts.code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused (${where})`;
  if (DNS_CODES.has(code)) return `DNS lookup failed for ${hostname}`;
  if (RESET_CODES.has(code)) return `connection reset (${where}): ${facts.message}`;
  if (UNREACHABLE_CODES.has(code)) return `host unreachable (${where})`;
  if (TIMEOUT_CODES.has(code)) return `timed out talking to ${where}`;
  if (isTlsCode(code)) return `TLS error with ${where}: ${opensslReason(facts.message)}`;
  if (code.startsWith('Z_') || code === 'ERR_BROTLI_DECOMPRESSION_FAILED') return `could not decompress the body from ${where}: ${facts.message}`;
  return `${facts.message} (${where})`;
}

/** OpenSSL messages are multi-line dumps; the reason after "SSL routines:<function>:" is the readable part. */
function opensslReason(message: string): string {
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
  return reason ?? message;
}

function isTlsCode(code: string): boolean {
  return /^ERR_(TLS|SSL)_|CERT|^DEPTH_ZERO|^SELF_SIGNED|^UNABLE_TO_(GET|VERIFY)/.test(code);
}

function codeSuffix(code: string | null): string {
  return code === null ? '' : ` [${code}]`;
}

/** The innermost useful error: fetch wraps the real one in `cause`, happy-eyeballs in AggregateError. */
function causeFacts(error: unknown): ErrorFacts {
  let current: unknown = error;
  while (isRecord(current) && isRecord(current.cause)) current = current.cause;
  if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
  if (!isRecord(current)) return { code: null, message: String(current), address: null };
  return {
    code: typeof current.code === 'string' ? current.code : null,
    message: firstLine(typeof current.message === 'string' ? current.message : String(current)),
    address: addressOf(current),
  };
}

function addressOf(error: Record<string, unknown>): string | null {
  if (typeof error.address !== 'string') return null;
  const host = error.address.includes(':') ? `[${error.address}]` : error.address;
  return typeof error.port === 'number' ? `${host}:${error.port}` : host;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

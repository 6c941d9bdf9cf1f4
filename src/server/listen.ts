// The one file that listens: serves an app on a port and closes it gracefully.
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { OperatorError } from '../lib/operator-error.ts';

/** A listening server. */
export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one); resolves once listening. */
export function listen(app: Hono, port: number, host?: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    server = serve({ fetch: app.fetch, port, hostname: host }, (info) =>
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // Let in-flight requests finish; idle keep-alive sockets are closed at once.
            (server as import('node:http').Server).closeIdleConnections?.();
            server.close(() => done());
          }),
      }),
    );
    server.on('error', (err: NodeJS.ErrnoException) => reject(listenError(err, port, host)));
  });
}

/** A listen failure the operator can fix, as one line naming the port and the fix. */
function listenError(err: NodeJS.ErrnoException, port: number, host: string | undefined): Error {
  const where = `port ${port} on ${host ?? '0.0.0.0'}`;
  if (err.code === 'EADDRINUSE') return new OperatorError(`${where} is in use; stop the other process or pass --port`);
  if (err.code === 'EACCES') return new OperatorError(`${where} needs privileges this user lacks; use a port above 1023 with --port`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new OperatorError(`cannot listen on host ${host}: no such address on this machine; pass --host with one of its addresses (or 0.0.0.0)`);
  return err;
}

// The one file that listens: serves an app on a port and closes it gracefully.
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

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
    server.on('error', reject);
  });
}

// Starting the web app on Node's HTTP server (@hono/node-server), with a body-size limit so an
// oversized upload is refused before it is read into memory.

import { serve, type ServerType } from '@hono/node-server';
import type { Store } from '../store/types.js';
import { createWebApp } from './app.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  store: Store;
  port: number;
  host: string;
  secureCookies?: boolean;
  now?: () => Date;
  /** Largest accepted upload in bytes (default 100 MiB). */
  maxUploadBytes?: number;
  /** A folder of example scenarios offered on /planning/scenarios. */
  scenariosDir?: string;
}

export function startWebServer(options: ServerOptions): Promise<RunningServer> {
  const app = createWebApp({ store: options.store, now: options.now ?? (() => new Date()), secureCookies: options.secureCookies ?? false, maxUploadBytes: options.maxUploadBytes, scenariosDir: options.scenariosDir });
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info) => {
      resolve({
        url: `http://${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

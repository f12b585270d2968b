import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { TandemError } from '../../app/errors.js';
import { openStore } from '../../store/open.js';
import { startWebServer } from '../../web/server.js';
import { action, dbLocation, withCommonOptions, type CommonOptions } from '../common.js';

interface ServeOptions extends CommonOptions {
  port: string;
  host: string;
  secureCookies?: boolean;
  maxUploadMb: string;
  scenarios?: string;
}

export function serveCommand(): Command {
  return withCommonOptions(new Command('serve'), { fund: false })
    .description('run the web app for the partners (sign in with a user made by `tandem user add`)')
    .option('--port <n>', 'port to listen on', '3000')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--secure-cookies', 'mark cookies Secure (when served behind HTTPS)')
    .option('--max-upload-mb <n>', 'largest ledger extract or forecast file accepted, in MiB', '100')
    .option('--scenarios <dir>', 'offer the scenario files (.yaml, .yml) in this folder as examples on /planning/scenarios')
    .action(
      action(async (options: ServeOptions) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TandemError('USAGE', `--port "${options.port}" is not a port number`, [], 2);
        const maxUploadMb = Number(options.maxUploadMb);
        if (!Number.isInteger(maxUploadMb) || maxUploadMb < 1 || maxUploadMb > 2048) throw new TandemError('USAGE', `--max-upload-mb "${options.maxUploadMb}" must be a whole number of MiB from 1 to 2048`, [], 2);
        const scenariosDir = options.scenarios === undefined ? undefined : path.resolve(options.scenarios);
        if (scenariosDir !== undefined && !(await stat(scenariosDir).catch(() => null))?.isDirectory()) throw new TandemError('USAGE', `--scenarios "${options.scenarios}" is not a folder`, [], 2);
        const store = await openStore(dbLocation(options));
        const server = await startWebServer({ store, port, host: options.host, secureCookies: options.secureCookies, maxUploadBytes: maxUploadMb * 1024 * 1024, scenariosDir });
        if (options.json) process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
        else console.log(`Tandem is serving ${store.location} at ${server.url} (Ctrl+C to stop)`);
        const stop = async () => {
          await server.close();
          await store.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
      }),
    );
}

// What every web request carries: the store, the clock, and (after the session middleware) the
// signed-in user, if any. Route handlers turn it into the AppContext the use cases take, so the
// web app calls exactly the same src/app/ functions as the CLI.

import type { Context } from 'hono';
import type { AppContext } from '../app/context.js';
import type { SessionInfo } from '../app/users.js';
import type { Store } from '../store/types.js';

export interface WebDeps {
  store: Store;
  now: () => Date;
  /** Send cookies with `Secure` (behind HTTPS). */
  secureCookies: boolean;
  /** Largest accepted upload (ledger extract or forecasts), in bytes; default 100 MiB. */
  maxUploadBytes?: number;
  /** A folder of example scenario files offered on /planning/scenarios (`tandem serve --scenarios`); none by default. */
  scenariosDir?: string;
}

export type WebEnv = { Variables: { session: SessionInfo | null; deps: WebDeps } };

export type WebContext = Context<WebEnv>;

/** The use cases' context for this request: who is acting is the signed-in user's email. */
export function appContext(c: WebContext): AppContext {
  const deps = c.get('deps');
  const session = c.get('session');
  return { store: deps.store, now: deps.now, actor: session?.user.email ?? 'anonymous' };
}

import type { Store } from '../store/types.js';

/** What every use case needs: where the data is, who is acting, and the clock (passed in, so tests can fix it). */
export interface AppContext {
  store: Store;
  actor: string;
  now: () => Date;
}

export function isoNow(ctx: AppContext): string {
  return ctx.now().toISOString();
}

import { Command } from 'commander';
import { TandemError } from '../../app/errors.js';
import { createApiToken, listApiTokens, MAX_TOKEN_DAYS, revokeApiToken } from '../../app/users.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

function wholeNumber(text: string, what: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new TandemError('USAGE', `${what} "${text}" is not a whole number from 1 to ${max}`, [], 2);
  return n;
}

export function tokenCommand(): Command {
  const token = new Command('token').description('API tokens for machine clients: each acts as its user, with that user’s role and partner');
  token.addCommand(
    withCommonOptions(new Command('create'), { fund: false })
      .description('create an API token for a user; it is printed once and stored only as a SHA-256 hash')
      .requiredOption('--email <email>', 'the user the token acts as')
      .requiredOption('--name <name>', 'what the token is for, e.g. "nightly ledger upload"')
      .option('--days <n>', `days until it expires (1 to ${MAX_TOKEN_DAYS})`, '90')
      .action(
        action(async (options: CommonOptions & { email: string; name: string; days: string }) => {
          const days = wholeNumber(options.days, '--days', MAX_TOKEN_DAYS);
          const result = await withContext(options, (ctx) => createApiToken(ctx, { email: options.email, name: options.name, days }));
          if (options.json) printJson(result);
          else console.log(`API token ${result.id} "${result.name}" for ${result.email}, expires ${result.expiresAt}.\nIt is shown only now; keep it secret:\n${result.token}`);
        }),
      ),
  );
  token.addCommand(
    withCommonOptions(new Command('list'), { fund: false })
      .description('every API token: id, name, user, expiry, revocation (never the token)')
      .action(
        action(async (options: CommonOptions) => {
          const tokens = await withContext(options, (ctx) => listApiTokens(ctx));
          if (options.json) printJson(tokens);
          else if (tokens.length === 0) console.log('no API tokens yet: create one with `tandem token create`');
          else console.log(table(['id', 'name', 'user', 'created', 'expires', 'status'], tokens.map((t) => [t.id, t.name, t.email, t.createdAt, t.expiresAt, t.status]), [0]));
        }),
      ),
  );
  token.addCommand(
    withCommonOptions(new Command('revoke'), { fund: false })
      .description('revoke an API token now (audited); it cannot be used again')
      .argument('<id>', 'the token id (from `tandem token list`)')
      .action(
        action(async (id: string, options: CommonOptions) => {
          const n = wholeNumber(id, 'token id', Number.MAX_SAFE_INTEGER);
          const result = await withContext(options, (ctx) => revokeApiToken(ctx, n));
          if (options.json) printJson(result);
          else console.log(`revoked API token ${result.id} "${result.name}" of ${result.email}`);
        }),
      ),
  );
  return token;
}

import { Command } from 'commander';
import { TandemError } from '../../app/errors.js';
import { addUser, listUsers } from '../../app/users.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

interface AddOptions extends CommonOptions {
  email: string;
  partner?: string;
  role: string;
  passwordStdin?: boolean;
}

/** The whole of stdin as UTF-8, without one trailing line break (what `echo` or a here-string adds). */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function userCommand(): Command {
  const user = new Command('user').description('people who sign in to the web app, with their role and partner');
  user.addCommand(
    withCommonOptions(new Command('add'))
      .description('add a user: the password is read from stdin (never from the command line) and stored only as an argon2id hash')
      .requiredOption('--email <email>', 'the email address they sign in with (stored lowercase)')
      .requiredOption('--role <role>', 'viewer, finance, approver or admin')
      .option('--partner <id>', 'the partner they act for, as named in the agreement in force (required unless --role admin)')
      .option('--password-stdin', 'read the password (at least 12 characters) from stdin')
      .addHelpText('after', '\nExample: printf %s "$PASSWORD" | tandem user add --email a.finance@council.gov.uk --partner scc --role finance --password-stdin\nRoles: docs/decisions/0009-users-and-access.md.')
      .action(
        action(async (options: AddOptions) => {
          if (!options.passwordStdin) throw new TandemError('USAGE', 'give the password on stdin with --password-stdin (it is never taken from the command line)', [], 2);
          const password = await readPasswordFromStdin();
          const result = await withContext(options, (ctx) => addUser(ctx, { email: options.email, role: options.role, partner: options.partner, password, fundId: options.fund }));
          if (options.json) printJson(result);
          else console.log(`added ${result.email} as ${result.role}${result.partner ? ` for ${result.partner} (fund ${result.fund})` : ''}`);
        }),
      ),
  );
  user.addCommand(
    withCommonOptions(new Command('list'), { fund: false })
      .description('every user, with role, partner and whether disabled (never a password hash)')
      .action(
        action(async (options: CommonOptions) => {
          const users = await withContext(options, (ctx) => listUsers(ctx));
          if (options.json) printJson(users);
          else if (users.length === 0) console.log('no users yet: add one with `tandem user add`');
          else console.log(table(['email', 'role', 'partner', 'fund', 'created', 'by', 'disabled'], users.map((u) => [u.email, u.role, u.partner ?? '', u.fund ?? '', u.createdAt, u.createdBy, u.disabledAt ?? ''])));
        }),
      ),
  );
  return user;
}

import { Command } from 'commander';
import { agreementDiff, agreementHistory, loadAgreement, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import type { Change } from '../../domain/agreement-diff.js';
import { action, printJson, withCommonOptions, withContext, type CommonOptions } from '../common.js';
import { table } from '../table.js';

export function agreementCommand(): Command {
  const cmd = new Command('agreement').description('load the section 75 agreement and look at its versions');

  cmd.addCommand(
    withCommonOptions(new Command('load'), { fund: false })
      .description('validate an agreement YAML file and store it as a new version (an identical file changes nothing)')
      .argument('<file>', 'the agreement YAML file')
      .action(
        action(async (file: string, options: CommonOptions) => {
          const result = await withContext(options, (ctx) => loadAgreement(ctx, file));
          if (options.json) printJson(result);
          else if (!result.created) console.log(`${file} is unchanged: fund ${result.fundId} stays at agreement version ${result.version}`);
          else console.log(`loaded ${file} as agreement version ${result.version} of fund ${result.fundId}${result.version > 1 ? ` (${result.changes.length} change(s) from version ${result.version - 1})` : ''}`);
        }),
      ),
  );

  cmd.addCommand(
    withCommonOptions(new Command('history'))
      .description('list every version of the agreement, when and by whom it was loaded')
      .action(
        action(async (options: CommonOptions) => {
          const versions = await withContext(options, async (ctx) => agreementHistory(ctx, await resolveFund(ctx, options.fund)));
          if (options.json) printJson(versions);
          else console.log(table(['version', 'loaded at', 'by', 'file', 'sha256'], versions.map((v) => [v.version, v.loadedAt, v.loadedBy, v.sourceFile, v.sourceSha256.slice(0, 12)]), [0]));
        }),
      ),
  );

  cmd.addCommand(
    withCommonOptions(new Command('diff'))
      .description('show what changed between two versions')
      .argument('<v1>', 'earlier version number')
      .argument('<v2>', 'later version number')
      .action(
        action(async (v1: string, v2: string, options: CommonOptions) => {
          const from = versionNumber(v1);
          const to = versionNumber(v2);
          const changes = await withContext(options, async (ctx) => agreementDiff(ctx, await resolveFund(ctx, options.fund), from, to));
          if (options.json) printJson({ from, to, changes });
          else if (changes.length === 0) console.log(`versions ${from} and ${to} are the same`);
          else for (const c of changes) console.log(describe(c));
        }),
      ),
  );
  return cmd;
}

function versionNumber(text: string): number {
  const n = Number(text.replace(/^v/i, ''));
  if (!Number.isInteger(n) || n < 1) throw new TandemError('USAGE', `"${text}" is not a version number`, [], 2);
  return n;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function describe(c: Change): string {
  if (c.kind === 'added') return `+ ${c.path}: ${show(c.after)}`;
  if (c.kind === 'removed') return `- ${c.path}: ${show(c.before)}`;
  return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
}

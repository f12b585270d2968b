import { describe, expect, it } from 'vitest';
import { checkCloseDocument } from './close-check.js';
import { agreement, closeInput, gbp, months, partner, pool, scheme } from './close-fixtures.test-support.js';
import { computeClose, type CloseComputation } from './close.js';

const icb = partner('icb');
const council = partner('council', 'council');
const a = agreement({
  partners: [icb, council],
  pools: [pool('bcf', 'council', true, { overspend: { kind: 'proportional' }, underspend: { kind: 'proportional' } })],
  schemes: [scheme('asr', 'bcf', { icb: gbp(6_000_000), council: gbp(4_000_000) }), scheme('nel', 'bcf', { icb: gbp(1_200_000) }, { type: 'aligned' })],
});

/** M03: spend in both ledgers, so contribution and recharge journals move money between the partners. */
function close(): CloseComputation {
  const actuals = { asr: { council: months(gbp(2_400_000), 3), icb: months(gbp(300_000), 3) }, nel: { icb: months(gbp(330_000), 3) } };
  const recharges = [{ ledger: 'icb-gl', scheme: 'asr', codes: ['E1', 'CC1', 'A1', 'X'], amountPence: gbp(100_000) }];
  return JSON.parse(JSON.stringify(computeClose(closeInput(a, 3, { actuals, recharges })))) as CloseComputation;
}

describe('checkCloseDocument', () => {
  it('finds nothing wrong with a close as computed', () => {
    const c = close();
    expect(c.journals.length).toBeGreaterThan(2);
    expect(checkCloseDocument(c)).toEqual([]);
  });

  it('names a journal that no longer balances, and the agreement of balances it upsets', () => {
    const c = close();
    const journal = c.journals.find((j) => j.kind === 'contribution' && j.partner === 'icb')!;
    journal.lines.find((l) => l.creditPence > 0)!.creditPence += 1;
    const problems = checkCloseDocument(c);
    expect(problems).toContainEqual({ code: 'JOURNAL_UNBALANCED', path: `journals.icb-gl/${journal.ref}`, message: expect.stringContaining('does not balance') });
    expect(problems).toContainEqual(expect.objectContaining({ code: 'BALANCES_DISAGREE', path: 'journals' }));
  });

  it('names a stored difference in the agreement of balances', () => {
    const c = close();
    c.agreementOfBalances[0]!.ytdDifferencePence = 5;
    expect(checkCloseDocument(c)).toEqual([expect.objectContaining({ code: 'BALANCES_DISAGREE', path: `agreementOfBalances.${c.agreementOfBalances[0]!.partner}/${c.agreementOfBalances[0]!.counterparty}` })]);
  });

  it('names a figure that no longer adds up, by its path', () => {
    const c = close();
    c.schemes[0]!.fotPence += 100;
    c.totals.fund.fotPence += 100;
    c.units[0]!.sharesPence.icb! += 1;
    const paths = checkCloseDocument(c).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['schemes.asr.fotVariancePence', 'totals.pooled.fotPence', 'pools.bcf.figures.fotPence', 'units.pool:bcf.sharesPence']));
    expect(paths).not.toContain('totals.fund.fotPence');
  });
});

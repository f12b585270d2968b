// The optional `year_end:` section (docs/year-end.md, docs/agreement.md): what `tandem year-end`
// carries from a closed year into the next — retained underspends as a budget line of the next
// year's pool, agreed overspend recovery plans as a reduction of a scheme's next-year budget — and
// how the next year's contributions are made where the agreement does not state them (an uplift
// percentage per pool or scheme). References are checked in validate-year-end.ts.

import * as z from 'zod';
import { percent, Ref } from './schema-values.js';

const Uplift = z
  .strictObject({
    pool: Ref.optional().describe('every scheme of this pool (a scheme’s own uplift wins)'),
    scheme: Ref.optional().describe('this scheme only'),
    percent: percent(100).describe('the next year’s contribution is the ended year’s × (1 + percent/100), rounded to the nearest penny once'),
  })
  .meta({ id: 'Uplift' });

const Recovery = z
  .strictObject({
    pool: Ref.describe('the pool whose overspend the partners bore at the year-end close'),
    from_scheme: Ref.describe('a pooled scheme of the pool whose next-year contributions are reduced by each partner’s share'),
  })
  .meta({ id: 'OverspendRecovery' });

export const YearEnd = z
  .strictObject({
    carry_forward: z
      .strictObject({
        retain_underspend: z.boolean().default(true).describe('carry retained underspends into the next year’s pool as a budget line'),
        to_scheme: z.record(Ref, Ref).default({}).describe('pool → the scheme that takes its carry-forward; default a new "Carry-forward YYYY-YY" line in the pool'),
      })
      .default({ retain_underspend: true, to_scheme: {} }),
    overspend_recovery: z.array(Recovery).default([]).describe('agreed recovery plans: the overspend shared at M12 comes off the next year’s budget'),
    uplift: z.array(Uplift).default([]).describe('how the next year’s contributions are made for schemes the agreement gives none'),
  })
  .meta({ id: 'YearEnd', description: 'what the year-end carries forward into the next year (docs/year-end.md)' });

export type YearEndDoc = z.output<typeof YearEnd>;

// What the semantic checks share: the ids the agreement defines, and one way of saying "this
// reference names nothing".

import { parseYear, type YearStart } from '../domain/period.js';
import { finding, type Finding, type Segment } from './problems.js';
import type { AgreementDoc, PoolDoc } from './schema.js';

export interface Known {
  partners: ReadonlySet<string>;
  pools: ReadonlyMap<string, PoolDoc>;
  schemes: ReadonlySet<string>;
  years: ReadonlySet<YearStart>;
}

export function knownIds(doc: AgreementDoc): Known {
  // The first definition of an id counts; later ones are reported as duplicates.
  const pools = new Map<string, PoolDoc>();
  for (const pool of doc.pools) if (!pools.has(pool.id)) pools.set(pool.id, pool);
  return {
    partners: new Set(doc.partners.map((p) => p.id)),
    pools,
    schemes: new Set(doc.schemes.map((s) => s.id)),
    years: new Set(doc.years.map((y) => parseYear(y)).filter((y) => y !== undefined)),
  };
}

type Kind = 'partner' | 'pool' | 'scheme';

const CODES = { partner: 'UNKNOWN_PARTNER', pool: 'UNKNOWN_POOL', scheme: 'UNKNOWN_SCHEME' } as const;

function idsOf(kind: Kind, known: Known): Iterable<string> {
  if (kind === 'partner') return known.partners;
  if (kind === 'pool') return known.pools.keys();
  return known.schemes;
}

/** A finding if `id` names no partner / pool / scheme; nothing for an absent (null) reference. */
export function checkRef(kind: Kind, id: string | null | undefined, at: Segment[], known: Known): Finding[] {
  if (id === null || id === undefined) return [];
  const ids = [...idsOf(kind, known)];
  if (ids.includes(id)) return [];
  const choices = ids.length > 0 ? ` (the ${kind}s are ${ids.join(', ')})` : ` (the agreement has no ${kind}s)`;
  return [finding(CODES[kind], at, `"${id}" is not a ${kind} of this agreement${choices}`)];
}

/** Checks each key of a partner-keyed mapping (shares, caps, contributions, counterparties). */
export function checkPartnerKeys(record: Record<string, unknown> | null | undefined, at: Segment[], known: Known): Finding[] {
  return Object.keys(record ?? {}).flatMap((id) => checkRef('partner', id, [...at, id], known));
}

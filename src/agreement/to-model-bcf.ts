// The Better Care Fund parts of the agreement as the core's BcfSettings and BcfSchemeInfo
// (camelCase, pence, YearStart numbers). Only called once validate-bcf.ts found nothing wrong.

import type { BcfSchemeInfo, BcfSettings } from '../domain/bcf.js';
import { invariant } from '../domain/money.js';
import { parseYear } from '../domain/period.js';
import type { BcfSchemeFieldsDoc, BcfSectionDoc } from './schema-bcf.js';

export function bcfSettings(doc: BcfSectionDoc): BcfSettings {
  const minimumsPence: BcfSettings['minimumsPence'] = {};
  for (const [text, byPartner] of Object.entries(doc.minimums)) {
    const year = parseYear(text);
    invariant(year !== undefined, `year ${text} passed the schema`);
    minimumsPence[year] = { ...byPartner };
  }
  return { pools: [...doc.pools], minimumsPence };
}

export function bcfSchemeInfo(doc: BcfSchemeFieldsDoc): BcfSchemeInfo {
  const source = doc.source_of_funding;
  return {
    schemeType: doc.scheme_type ?? null,
    subType: doc.sub_type ?? null,
    areaOfSpend: doc.area_of_spend ?? null,
    providerType: doc.provider_type ?? null,
    sourceOfFunding: source === undefined ? null : typeof source === 'string' ? source : { ...source },
  };
}

// The access policy against its expected-access table: every action × role × own/other/no
// ledger × data sharing on/off, the table itself pinned as text (so changing a rule means
// changing this file too), and each sentence of issue 6 as its own test.

import { describe, expect, it } from 'vitest';
import {
  ACCESS_TABLE,
  ACTIONS,
  ROLES,
  authorise,
  expectedAccess,
  ruleWhy,
  type Access,
  type AccessTable,
  type Action,
  type Actor,
  type LedgerOwner,
  type Role,
} from './access.js';

const OWN = 'scc';
const OTHER = 'sccg';
const LEDGERS: LedgerOwner[] = ['own', 'other', 'none'];

function actor(role: Role, partner: string | null = OWN): Actor {
  return { userId: 7, role, partner };
}

function allowed(role: Role, action: Action, ledger: LedgerOwner, sharing: boolean, partner: string | null = OWN): boolean {
  const ledgerPartner = ledger === 'own' ? OWN : ledger === 'other' ? OTHER : undefined;
  return authorise(actor(role, partner), action, { ledgerPartner, lineDetailSharedAcrossPartners: sharing }).allowed;
}

/** Every case where authorise and the table disagree, as readable strings. */
function differences(table: AccessTable): string[] {
  const out: string[] = [];
  for (const action of ACTIONS) {
    for (const role of ROLES) {
      for (const ledger of LEDGERS) {
        for (const sharing of [false, true]) {
          const expected = expectedAccess(action, role, ledger, sharing, table);
          if (allowed(role, action, ledger, sharing) !== expected) out.push(`${action} ${role} ledger=${ledger} sharing=${sharing}: expected ${expected}`);
        }
      }
    }
  }
  return out;
}

// The table as it must read. A rule change needs this, ACCESS_TABLE and the rules to change together.
const PINNED = `
fund.view                 yes            yes            yes            yes
agreement.view            yes            yes            yes            yes
report.download           yes            yes            yes            yes
ledger.lines.view         own-or-shared  own-or-shared  own-or-shared  yes
ledger.upload             no             own            own            yes
ledger.map                no             own            own            yes
ledger.journals.download  no             own            own            yes
forecast.import           no             yes            yes            yes
commentary.set            no             yes            yes            yes
period.close              no             no             yes            yes
period.reopen             no             no             yes            yes
audit.view                no             yes            yes            yes
agreement.load            no             no             no             yes
users.manage              no             no             no             yes
`;

function render(table: AccessTable): string {
  const rows = ACTIONS.map((a) => [a.padEnd(25), ...ROLES.map((r, i) => (i === ROLES.length - 1 ? table[a][r] : table[a][r].padEnd(14)))].join(' '));
  return `\n${rows.join('\n')}\n`;
}

describe('the access policy', () => {
  it('agrees with ACCESS_TABLE for every action × role × own/other/no ledger × sharing on/off', () => {
    expect(ACTIONS.length * ROLES.length * LEDGERS.length * 2).toBe(336);
    expect(differences(ACCESS_TABLE)).toEqual([]);
  });

  it('keeps the table exactly as pinned (roles: viewer, finance, approver, admin)', () => {
    expect(ROLES).toEqual(['viewer', 'finance', 'approver', 'admin']);
    expect(render(ACCESS_TABLE)).toBe(PINNED);
  });

  it('notices a change to any cell of the table: each other value for each cell disagrees somewhere', () => {
    const values: Access[] = ['yes', 'own', 'own-or-shared', 'no'];
    const unnoticed: string[] = [];
    for (const action of ACTIONS) {
      for (const role of ROLES) {
        for (const value of values.filter((v) => v !== ACCESS_TABLE[action][role])) {
          // 'own' and 'own-or-shared' only differ on ledger actions; on fund actions both mean refused, like 'no'.
          const isLedger = action.startsWith('ledger.');
          if (!isLedger && value !== 'yes' && ACCESS_TABLE[action][role] !== 'yes') continue;
          const changed = { ...ACCESS_TABLE, [action]: { ...ACCESS_TABLE[action], [role]: value } } as AccessTable;
          if (differences(changed).length === 0) unnoticed.push(`${action} ${role} → ${value}`);
        }
      }
    }
    expect(unnoticed).toEqual([]);
  });

  it('uses own-partner scope only for ledger actions, and gives every rule a reason', () => {
    for (const action of ACTIONS) {
      const scoped = ROLES.some((r) => ACCESS_TABLE[action][r] === 'own' || ACCESS_TABLE[action][r] === 'own-or-shared');
      if (scoped) expect(action, action).toMatch(/^ledger\./);
      expect(ruleWhy(action).length, action).toBeGreaterThan(20);
    }
  });
});

describe('the rules of issue 6, one by one', () => {
  it('viewers see fund figures, the agreement and reports, and change nothing', () => {
    for (const a of ['fund.view', 'agreement.view', 'report.download'] as const) expect(allowed('viewer', a, 'none', false), a).toBe(true);
    for (const a of ['ledger.upload', 'ledger.map', 'forecast.import', 'commentary.set', 'period.close', 'period.reopen', 'agreement.load', 'users.manage', 'audit.view'] as const) {
      expect(allowed('viewer', a, 'own', true), a).toBe(false);
    }
  });

  it("shows line-level detail of another partner's ledger only when the agreement shares it", () => {
    for (const role of ['viewer', 'finance', 'approver'] as const) {
      expect(allowed(role, 'ledger.lines.view', 'own', false), role).toBe(true);
      expect(allowed(role, 'ledger.lines.view', 'other', false), role).toBe(false);
      expect(allowed(role, 'ledger.lines.view', 'other', true), role).toBe(true);
    }
  });

  it("lets finance upload, map and take journals for its own partner's ledgers only, even when lines are shared", () => {
    for (const a of ['ledger.upload', 'ledger.map', 'ledger.journals.download'] as const) {
      expect(allowed('finance', a, 'own', false), a).toBe(true);
      expect(allowed('finance', a, 'other', false), a).toBe(false);
      expect(allowed('finance', a, 'other', true), a).toBe(false);
    }
    expect(allowed('finance', 'forecast.import', 'none', false)).toBe(true);
    expect(allowed('finance', 'commentary.set', 'none', false)).toBe(true);
  });

  it('needs an approver to close and reopen; an approver keeps to its own ledgers', () => {
    for (const a of ['period.close', 'period.reopen'] as const) {
      expect(allowed('finance', a, 'none', false), a).toBe(false);
      expect(allowed('approver', a, 'none', false), a).toBe(true);
    }
    expect(allowed('approver', 'ledger.upload', 'own', false)).toBe(true);
    expect(allowed('approver', 'ledger.upload', 'other', true)).toBe(false);
    expect(allowed('approver', 'agreement.load', 'none', false)).toBe(false);
    expect(allowed('approver', 'users.manage', 'none', false)).toBe(false);
  });

  it('lets an admin do everything, with or without a partner', () => {
    for (const a of ACTIONS) {
      for (const ledger of LEDGERS) {
        expect(allowed('admin', a, ledger, false, null), `${a} ${ledger}`).toBe(true);
        expect(allowed('admin', a, ledger, false, OTHER), `${a} ${ledger}`).toBe(true);
      }
    }
  });

  it('fails closed: a ledger action naming no ledger, or a non-admin with no partner, is refused', () => {
    expect(allowed('finance', 'ledger.upload', 'none', true)).toBe(false);
    expect(allowed('viewer', 'ledger.lines.view', 'none', true)).toBe(false);
    // The database forbids a finance user without a partner; the policy does not rely on it.
    expect(allowed('finance', 'ledger.upload', 'own', false, null)).toBe(false);
    expect(allowed('finance', 'ledger.lines.view', 'other', true, null)).toBe(true); // shared lines are shared with everyone signed in
  });

  it('says why a request is refused', () => {
    const byRole = authorise(actor('finance'), 'period.close', { lineDetailSharedAcrossPartners: false });
    expect(byRole).toEqual({ allowed: false, reason: expect.stringMatching(/needs the approver role \(this user is finance\)/) });
    const byPartner = authorise(actor('finance'), 'ledger.upload', { ledgerPartner: OTHER, lineDetailSharedAcrossPartners: true });
    expect(byPartner).toEqual({ allowed: false, reason: expect.stringMatching(/ledger of sccg is not allowed: this user acts for scc/) });
    expect(authorise(actor('finance'), 'ledger.upload', { ledgerPartner: OWN, lineDetailSharedAcrossPartners: false })).toEqual({ allowed: true });
  });
});

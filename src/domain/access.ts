// Who may do what (issue 6): the access policy of the web app, the API and the CLI, as one pure
// function. Roles are ordered viewer < finance < approver < admin; finance officers and
// approvers act for one partner, and what touches a ledger is limited to that partner's own
// ledgers. Line-level detail of another partner's ledger is shown only when the agreement says
// the partners share it (the caller passes that setting in).
//
// Two encodings on purpose: RULES (below) is what `authorise` runs; ACCESS_TABLE is the expected
// outcome written out per role, for tests (src/domain/access.test.ts now, and the web app's
// route × role × own/other partner test later) to check the rules against, cell by cell.

export const ROLES = ['viewer', 'finance', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'fund.view',
  'agreement.view',
  'report.download',
  'ledger.lines.view',
  'ledger.upload',
  'ledger.map',
  'ledger.journals.download',
  'forecast.import',
  'commentary.set',
  'period.close',
  'period.reopen',
  'audit.view',
  'agreement.load',
  'users.manage',
] as const;
/**
 * What a request wants to do. `ledger.*` actions are about one ledger and need the partner whose
 * ledger it is (`context.ledgerPartner`); the others are about the whole fund.
 */
export type Action = (typeof ACTIONS)[number];

/** Who is acting: a signed-in user, or an API token acting as its user. */
export interface Actor {
  userId: number;
  role: Role;
  /** The partner the user acts for; null only for an admin. */
  partner: string | null;
}

export interface AccessContext {
  /** For `ledger.*` actions: the partner whose ledger it is. */
  ledgerPartner?: string;
  /** The agreement's data-sharing setting: may partners see line-level detail of each other's ledgers? */
  lineDetailSharedAcrossPartners: boolean;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** How far a ledger action reaches beyond the actor's own partner. */
type Reach = 'fund' | 'own-ledger' | 'own-or-shared-ledger';

interface Rule {
  minimum: Role;
  reach: Reach;
  why: string;
}

const RULES: { readonly [A in Action]: Rule } = {
  'fund.view': { minimum: 'viewer', reach: 'fund', why: 'fund figures (pools, schemes, RAG, risk share) are what every member of the partnership governs' },
  'agreement.view': { minimum: 'viewer', reach: 'fund', why: 'the agreement is the shared contract every partner signed' },
  'report.download': { minimum: 'viewer', reach: 'fund', why: 'the monthly joint finance report is written for the whole partnership, committee members included' },
  'ledger.lines.view': {
    minimum: 'viewer',
    reach: 'own-or-shared-ledger',
    why: "a partner's ledger lines are its own records: others see them only where the agreement shares line-level detail",
  },
  'ledger.upload': { minimum: 'finance', reach: 'own-ledger', why: 'only a partner knows its own ledger: no one uploads extracts on another partner’s behalf' },
  'ledger.map': { minimum: 'finance', reach: 'own-ledger', why: 'mapping rules read a ledger’s own codes, which only that partner’s finance officers understand' },
  'ledger.journals.download': { minimum: 'finance', reach: 'own-ledger', why: 'journals are posted into that partner’s ledger by its own finance officers' },
  'forecast.import': { minimum: 'finance', reach: 'fund', why: 'scheme forecasts come from scheme leads through finance, for any scheme of the fund' },
  'commentary.set': { minimum: 'finance', reach: 'fund', why: 'commentary explains figures; it changes none, so finance may write it for any scheme' },
  'period.close': { minimum: 'approver', reach: 'fund', why: 'a close fixes the month for every partner and creates journals: it needs an approver' },
  'period.reopen': { minimum: 'approver', reach: 'fund', why: 'reopening unlocks a reported month: the same authority as closing it' },
  'audit.view': { minimum: 'finance', reach: 'fund', why: 'officers trace who changed what; the log names users (personal data), which viewers do not need' },
  'agreement.load': { minimum: 'admin', reach: 'fund', why: 'the agreement binds every partner: no one partner’s officer may change contributions or risk share alone' },
  'users.manage': { minimum: 'admin', reach: 'fund', why: 'granting access (users and API tokens) is the administrator’s job alone' },
};

/** The one-line reason each rule exists (for docs and for error messages). */
export function ruleWhy(action: Action): string {
  return RULES[action].why;
}

/** Decide whether `actor` may do `action`. Fails closed: a ledger action without a ledger is refused. */
export function authorise(actor: Actor, action: Action, context: AccessContext): Decision {
  const rule = RULES[action];
  // Admins run the system: every action, every ledger (the brief of issue 6).
  if (actor.role === 'admin') return { allowed: true };
  if (roleRank(actor.role) < roleRank(rule.minimum)) {
    return { allowed: false, reason: `${action} needs the ${rule.minimum} role (this user is ${actor.role}): ${rule.why}` };
  }
  if (rule.reach === 'fund') return { allowed: true };
  const ledgerPartner = context.ledgerPartner;
  if (ledgerPartner === undefined) return { allowed: false, reason: `${action} is about one ledger, and none was named` };
  if (actor.partner !== null && actor.partner === ledgerPartner) return { allowed: true };
  if (rule.reach === 'own-or-shared-ledger' && context.lineDetailSharedAcrossPartners) return { allowed: true };
  const whose = actor.partner === null ? 'this user acts for no partner' : `this user acts for ${actor.partner}`;
  return { allowed: false, reason: `${action} on a ledger of ${ledgerPartner} is not allowed: ${whose}; ${rule.why}` };
}

/**
 * The expected outcome of every action for every role, written out by hand:
 * - `yes`: allowed (for ledger actions, on every partner's ledgers)
 * - `own`: only on the user's own partner's ledgers
 * - `own-or-shared`: own partner's ledgers, and other partners' when the agreement shares line-level detail
 * - `no`: refused
 */
export type Access = 'yes' | 'own' | 'own-or-shared' | 'no';

export const ACCESS_TABLE: AccessTable = {
  'fund.view': { viewer: 'yes', finance: 'yes', approver: 'yes', admin: 'yes' },
  'agreement.view': { viewer: 'yes', finance: 'yes', approver: 'yes', admin: 'yes' },
  'report.download': { viewer: 'yes', finance: 'yes', approver: 'yes', admin: 'yes' },
  'ledger.lines.view': { viewer: 'own-or-shared', finance: 'own-or-shared', approver: 'own-or-shared', admin: 'yes' },
  'ledger.upload': { viewer: 'no', finance: 'own', approver: 'own', admin: 'yes' },
  'ledger.map': { viewer: 'no', finance: 'own', approver: 'own', admin: 'yes' },
  'ledger.journals.download': { viewer: 'no', finance: 'own', approver: 'own', admin: 'yes' },
  'forecast.import': { viewer: 'no', finance: 'yes', approver: 'yes', admin: 'yes' },
  'commentary.set': { viewer: 'no', finance: 'yes', approver: 'yes', admin: 'yes' },
  'period.close': { viewer: 'no', finance: 'no', approver: 'yes', admin: 'yes' },
  'period.reopen': { viewer: 'no', finance: 'no', approver: 'yes', admin: 'yes' },
  'audit.view': { viewer: 'no', finance: 'yes', approver: 'yes', admin: 'yes' },
  'agreement.load': { viewer: 'no', finance: 'no', approver: 'no', admin: 'yes' },
  'users.manage': { viewer: 'no', finance: 'no', approver: 'no', admin: 'yes' },
};

/** Whose ledger a request touches, as a route × role test describes it. */
export type LedgerOwner = 'own' | 'other' | 'none';

export type AccessTable = { readonly [A in Action]: { readonly [R in Role]: Access } };

/** What the table says for one case: `ledger` is whose ledger the request names ('none': no ledger). */
export function expectedAccess(action: Action, role: Role, ledger: LedgerOwner, sharing: boolean, table: AccessTable = ACCESS_TABLE): boolean {
  const cell = table[action][role];
  const ledgerAction = action.startsWith('ledger.');
  switch (cell) {
    case 'yes':
      return true;
    case 'no':
      return false;
    case 'own':
      return ledgerAction && ledger === 'own';
    case 'own-or-shared':
      return ledgerAction && (ledger === 'own' || (ledger === 'other' && sharing));
  }
}

// Approval rules (docs/governance.md): who may approve a decision, and when the approvals given
// so far make it take effect. Two routes:
//
// - delegated: named officers (or members) approve one by one under the scheme of delegation. An
//   approver must hold a role whose delegation covers the decision's type and weight (and, for a
//   `within_pool` line, a decision inside one pool). The decision takes effect when one line of
//   the delegation is met: an approver holding it — and one from EVERY partner when the line is
//   `jointly`, or when the decision needs every partner anyway (anything but a virement inside one
//   pool: a virement across pools, a contribution change, a new risk share or scope changes what
//   each partner carries, so no partner decides it alone).
// - meeting: the joint committee votes. The meeting must be quorate for EVERY partner (the quorum
//   is a minimum per partner, so one organisation cannot decide alone however many of its
//   members attend) and more members vote for than against. The committee may decide anything.
//
// A dissolution of the fund goes only by the meeting route: ending the agreement is the partners'
// joint act, so no officer may approve it under delegation, whatever the scheme of delegation says
// (a delegation line cannot name it: the agreement schema's decision types leave it out).

import type { Agreement, Delegation, Governance, GovernancePerson } from './agreement.js';
import { DecisionError, type DecisionFacts } from './decisions.js';
import { formatPounds } from './money.js';

export interface Approval {
  person: string;
  partner: string;
  role: string;
}

export type VoteChoice = 'for' | 'against' | 'abstain';

export interface Vote {
  member: string;
  partner: string;
  vote: VoteChoice;
}

export function governanceOf(agreement: Agreement): Governance {
  if (agreement.governance === undefined) {
    throw new DecisionError('NO_GOVERNANCE', `the agreement of fund ${agreement.fund.id} has no governance section: name the joint committee and the scheme of delegation (docs/governance.md) and load it again`);
  }
  return agreement.governance;
}

/** Needs an approval from every partner, whatever the delegation line says. */
export function needsEveryPartner(facts: DecisionFacts): boolean {
  return facts.type !== 'virement' || facts.pools.length > 1;
}

/** The delegation lines that cover a decision of this type, weight and reach. */
export function coveringDelegations(g: Governance, facts: DecisionFacts): Delegation[] {
  const type = facts.type;
  if (type === 'dissolution') return [];
  return g.delegation.filter((d) => d.decisions.includes(type) && facts.weightPence <= d.upToPence && (!d.withinPool || facts.pools.length === 1));
}

export function personOf(g: Governance, id: string): GovernancePerson {
  const person = [...g.committee.members, ...g.officers].find((p) => p.id === id);
  if (!person) throw new DecisionError('DECISION_PERSON_UNKNOWN', `"${id}" is not a committee member or officer named in the agreement's governance section`);
  return person;
}

function describe(facts: DecisionFacts): string {
  if (facts.type === 'dissolution') return 'the dissolution of the fund';
  const reach = facts.pools.length > 1 ? ` across pools ${facts.pools.join(' and ')}` : '';
  return `a ${facts.type.replace(/_/g, ' ')} of £${formatPounds(facts.weightPence)}${reach}`;
}

/** The approval a person may give under delegation, or why not. `partner`, if given, must be theirs. */
export function authorisedApproval(g: Governance, facts: DecisionFacts, personId: string, partner?: string): Approval {
  const person = personOf(g, personId);
  if (partner !== undefined && partner !== person.partner) {
    throw new DecisionError('DECISION_PERSON_UNKNOWN', `${person.id} (${person.name}) acts for ${person.partner}, not ${partner}`);
  }
  if (facts.type === 'dissolution') {
    throw new DecisionError('DECISION_NOT_AUTHORISED', `${person.id} (${person.role}, ${person.partner}) cannot approve ${describe(facts)}: a dissolution is never delegated, whatever the scheme of delegation says; only a quorate meeting of ${g.committee.name} with a majority for may decide it (approve it with the meeting's votes)`);
  }
  const lines = coveringDelegations(g, facts);
  if (!lines.some((d) => d.role === person.role)) {
    const who = [...new Set(lines.map((d) => d.role))];
    const instead = who.length > 0 ? `it needs ${who.join(' or ')}, or the joint committee` : 'it is beyond the scheme of delegation: it goes to the joint committee';
    throw new DecisionError('DECISION_NOT_AUTHORISED', `${person.id} (${person.role}, ${person.partner}) has no delegated authority for ${describe(facts)}; ${instead}`);
  }
  return { person: person.id, partner: person.partner, role: person.role };
}

export interface DelegatedOutcome {
  met: boolean;
  /** The delegation line met, or (when none is) the first that could be: with the partners still to approve. */
  delegation: Delegation | null;
  waitingFor: string[];
}

/** Whether the delegated approvals given so far meet the rule. */
export function delegatedOutcome(agreement: Agreement, facts: DecisionFacts, approvals: readonly Approval[]): DelegatedOutcome {
  const g = governanceOf(agreement);
  const partners = agreement.partners.map((p) => p.id);
  let closest: DelegatedOutcome = { met: false, delegation: null, waitingFor: partners };
  let closestStarted = false;
  for (const d of coveringDelegations(g, facts)) {
    const by = approvals.filter((a) => a.role === d.role);
    // One holder of the line's role suffices unless the line or the decision needs every partner.
    const needed = d.jointly || needsEveryPartner(facts) ? partners : [];
    const waitingFor = needed.filter((p) => !by.some((a) => a.partner === p));
    if (by.length > 0 && waitingFor.length === 0) return { met: true, delegation: d, waitingFor: [] };
    // The closest line: one somebody has already approved under, then the fewest partners to go.
    const started = by.length > 0;
    const better = closest.delegation === null || (started && !closestStarted) || (started === closestStarted && waitingFor.length < closest.waitingFor.length);
    if (better) [closest, closestStarted] = [{ met: false, delegation: d, waitingFor }, started];
  }
  return closest;
}

export interface MeetingOutcome {
  presentByPartner: Record<string, number>;
  for: number;
  against: number;
  abstain: number;
  quorate: boolean;
  carried: boolean;
}

/** Checks the votes name committee members once each, and counts them against the quorum. */
export function meetingOutcome(agreement: Agreement, votes: readonly { member: string; vote: VoteChoice }[]): MeetingOutcome & { votes: Vote[] } {
  const g = governanceOf(agreement);
  const seen = new Set<string>();
  const counted: Vote[] = votes.map((v) => {
    const member = g.committee.members.find((m) => m.id === v.member);
    if (!member) throw new DecisionError('DECISION_PERSON_UNKNOWN', `"${v.member}" is not a member of ${g.committee.name}`);
    if (seen.has(member.id)) throw new DecisionError('DECISION_INVALID', `${member.id} votes more than once`);
    seen.add(member.id);
    return { member: member.id, partner: member.partner, vote: v.vote };
  });
  const presentByPartner = Object.fromEntries(agreement.partners.map((p) => [p.id, counted.filter((v) => v.partner === p.id).length]));
  const count = (choice: VoteChoice) => counted.filter((v) => v.vote === choice).length;
  const quorate = agreement.partners.every((p) => presentByPartner[p.id]! >= (g.committee.quorum[p.id] ?? 1));
  const outcome = { presentByPartner, for: count('for'), against: count('against'), abstain: count('abstain'), quorate, votes: counted };
  return { ...outcome, carried: quorate && outcome.for > outcome.against };
}

/** The meeting's approval, or why it is not one: unquorate, or no majority in favour. */
export function meetingApproval(agreement: Agreement, votes: readonly { member: string; vote: VoteChoice }[]): MeetingOutcome & { votes: Vote[] } {
  const outcome = meetingOutcome(agreement, votes);
  const g = governanceOf(agreement);
  if (!outcome.quorate) {
    const short = agreement.partners.filter((p) => outcome.presentByPartner[p.id]! < (g.committee.quorum[p.id] ?? 1));
    const detail = short.map((p) => `${p.id}: ${outcome.presentByPartner[p.id]} present, quorum ${g.committee.quorum[p.id] ?? 1}`).join('; ');
    throw new DecisionError('DECISION_NOT_QUORATE', `${g.committee.name} was not quorate (${detail}); every partner must have its quorum present`);
  }
  if (!outcome.carried) throw new DecisionError('DECISION_NO_MAJORITY', `${outcome.for} for, ${outcome.against} against, ${outcome.abstain} abstaining: no majority in favour (to record the refusal, use reject)`);
  return outcome;
}

// The form that makes a mapping rule from a suspense group: one checkbox per code of the group
// (kept codes become the rule's conditions; dropping one widens the rule to any value of that
// column), where the lines go, an optional note, and whether to re-apply the rules at once. The
// agreement version it was based on travels with it, so a version stored meanwhile is noticed.

import type { TandemError } from '../../app/errors.js';
import type { UnmappedGroup } from '../../app/unmapped.js';
import type { Ledger, Scheme } from '../../domain/agreement.js';
import { html, type Html } from '../../report/escape.js';

export interface RuleFormOptions {
  csrf: string;
  ledger: Ledger;
  group: UnmappedGroup;
  version: number;
  schemes: Scheme[];
  error: TandemError | null;
  /** What was submitted, when the form is shown again with an error. */
  form: Record<string, string | undefined>;
}

function checked(on: boolean): Html {
  return on ? html` checked` : html``;
}

export function ruleForm(o: RuleFormOptions): Html {
  const again = Object.keys(o.form).length > 0;
  const target = o.form.target ?? '';
  const columns = Object.entries(o.group.codes).map(([column, value], i) => {
    const on = again ? o.form[`use_${column}`] === 'yes' : true;
    return html`<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="use-${i}" name="use_${column}" type="checkbox" value="yes"${checked(on)}>
<label class="govuk-label govuk-checkboxes__label" for="use-${i}">${column} is <code>${value === '' ? '(blank)' : value}</code></label></div>`;
  });
  const options = [
    html`<option value=""${target === '' ? html` selected` : html``}>Choose where the lines go</option>`,
    ...o.schemes.map((s) => html`<option value="${s.id}"${s.id === target ? html` selected` : html``}>${s.name} (${s.id}, ${s.type})</option>`),
    html`<option value="out_of_scope"${target === 'out_of_scope' ? html` selected` : html``}>Out of the fund's scope</option>`,
  ];
  const err = o.error;
  return html`<form method="post" action="/suspense/rule" novalidate>
<input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="ledger" value="${o.ledger.id}">
<input type="hidden" name="codes" value="${JSON.stringify(Object.values(o.group.codes))}"><input type="hidden" name="version" value="${o.version}">
<div class="govuk-form-group"><fieldset class="govuk-fieldset" aria-describedby="when-hint"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Lines the rule matches</legend>
<div class="govuk-hint" id="when-hint">A line matches when it has every code ticked. Untick a code to match any value of that column.</div>
<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${columns}</div></fieldset></div>
<div class="govuk-form-group${err ? ' govuk-form-group--error' : ''}"><label class="govuk-label govuk-label--s" for="target">Where the lines go</label>
${err ? html`<p id="target-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${err.message}</p>` : html``}
<select class="govuk-select${err ? ' govuk-select--error' : ''}" id="target" name="target"${err ? html` aria-describedby="target-error"` : html``}>${options}</select></div>
<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="note">Note (optional)</label><div class="govuk-hint" id="note-hint">Why these lines belong there, for whoever reads the agreement next.</div>
<input class="govuk-input" id="note" name="note" type="text" maxlength="500" aria-describedby="note-hint" value="${o.form.note ?? ''}"></div>
<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">
<input class="govuk-checkboxes__input" id="reapply" name="reapply" type="checkbox" value="yes"${checked(again ? o.form.reapply === 'yes' : true)}>
<label class="govuk-label govuk-checkboxes__label" for="reapply">Re-apply the rules to the lines already imported now (closed months stay as they are)</label></div></div></div>
<p class="govuk-body">The rule is added after the ledger's ${o.ledger.rules.length} existing rule${o.ledger.rules.length === 1 ? '' : 's'}, so no line they map changes. It makes version ${o.version + 1} of the agreement, recorded in the audit log.</p>
<div class="govuk-button-group"><button type="submit" class="govuk-button" data-module="govuk-button">Create rule</button><a class="govuk-link" href="/suspense">Cancel</a></div>
</form>`;
}

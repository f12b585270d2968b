// HTML escaping for the report renderers. Every text value in the report (fund, scheme and file
// names, commentary, reasons, ledger codes) comes from agreements, extracts or people, so it is
// escaped by default: the `html` template tag escapes each interpolated value unless it is
// already markup (an `Html` made by `html` itself or, deliberately, by `raw`).

/** A piece of markup that is already safe to emit as is. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What may be interpolated into `html`: text (escaped), numbers, markup, or lists of those. */
export type HtmlValue = string | number | Html | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Trusted markup, for the few fixed strings (CSS, doctype) that are not built with `html`. */
export function raw(text: string): Html {
  return new Html(text);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number in report markup: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** Template tag: literal parts are markup, interpolated values are escaped (lists are joined). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Join pieces of markup with a separator (itself markup). */
export function join(parts: readonly Html[], separator = ''): Html {
  return new Html(parts.map((p) => p.text).join(separator));
}

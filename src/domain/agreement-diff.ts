// What changed between two agreement versions, as a list of paths, for `tandem agreement diff`.
// Lists of things with ids (partners, pools, schemes, ledgers) are compared by id, so inserting
// a scheme reads as one addition rather than every later scheme "changing".

export type Change =
  | { kind: 'added'; path: string; after: unknown }
  | { kind: 'removed'; path: string; before: unknown }
  | { kind: 'changed'; path: string; before: unknown; after: unknown };

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasIds(list: Json[]): list is { id: string }[] {
  const ids = list.map((x) => (isRecord(x) && typeof x.id === 'string' ? x.id : undefined));
  return ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
}

export function diffJson(before: Json, after: Json, path = ''): Change[] {
  const here = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (Array.isArray(before) && Array.isArray(after) && hasIds(before) && hasIds(after)) {
    const b = new Map(before.map((x) => [x.id, x] as const));
    const a = new Map(after.map((x) => [x.id, x] as const));
    const changes: Change[] = [];
    for (const [id, x] of b) if (!a.has(id)) changes.push({ kind: 'removed', path: here(id), before: x });
    for (const [id, x] of a) {
      const old = b.get(id);
      changes.push(...(old === undefined ? [{ kind: 'added' as const, path: here(id), after: x }] : diffJson(old, x, here(id))));
    }
    return changes;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k): Change[] => {
      if (!(k in after)) return [{ kind: 'removed', path: here(k), before: before[k] }];
      if (!(k in before)) return [{ kind: 'added', path: here(k), after: after[k] }];
      return diffJson(before[k], after[k], here(k));
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ kind: 'changed', path: path === '' ? '(root)' : path, before, after }];
}

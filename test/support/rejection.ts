// Awaiting a use case that must fail with a TandemError (a clear, coded refusal), and returning it.

import { expect } from 'vitest';
import { TandemError } from '../../src/app/errors.js';

export async function rejection(p: Promise<unknown>): Promise<TandemError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TandemError);
  return e as TandemError;
}

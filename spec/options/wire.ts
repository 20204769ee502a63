/** Test helpers for the option payload specs: wire bytes from numbers and text, and Either assertions. */
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import type { PayloadError } from '../../src/options/payload-error.js';

/** Bytes from numbers (one byte each) and strings (UTF-8), in order. */
export const wire = (...parts: readonly (number | string)[]): Uint8Array => {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else out.push(...new TextEncoder().encode(part));
  }
  return Uint8Array.from(out);
};

/** The right value of `result`, failing the test with the error if it is a left. */
export const right = <A>(result: E.Either<PayloadError, A>): A => {
  if (E.isLeft(result)) expect.fail(`expected a value, got ${JSON.stringify(result.left)}`);
  return result.right;
};

/** The `PayloadError` of `result`, checking its option and, when given, its path. */
export const left = <A>(result: E.Either<PayloadError, A>, option: number, path?: string): PayloadError => {
  if (E.isRight(result)) expect.fail(`expected a PayloadError, got ${JSON.stringify(result.right)}`);
  expect(result.left._tag).toBe('PayloadError');
  expect(result.left.option).toBe(option);
  if (path !== undefined) expect(result.left.path).toBe(path);
  expect(result.left.detail.length).toBeGreaterThan(0);
  return result.left;
};

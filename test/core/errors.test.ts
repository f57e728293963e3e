import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError, isFalconerError } from '../../src/core/errors.ts';

test("Falconer's errors are recognised across copies of the errors module, bugs are not", async () => {
  assert.ok(isFalconerError(new InvalidInputError('bad field', { field: 'spec.x' })));
  // A second copy of the module, as the operator's separate bundle has: a class of its own.
  const copy = (await import(`../../src/core/errors.ts?copy=${Date.now()}`)) as typeof import('../../src/core/errors.ts');
  const theirs = new copy.KubeApiError('Could not list pods', { status: 500 });
  assert.equal(theirs instanceof InvalidInputError, false);
  assert.ok(isFalconerError(theirs));
  assert.equal(isFalconerError(new TypeError('undefined is not a function')), false);
  assert.equal(isFalconerError('a string'), false);
});

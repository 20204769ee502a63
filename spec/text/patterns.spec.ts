import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findFirstMatch } from '../../src/text/patterns.js';

describe('findFirstMatch', () => {
  it('finds the earliest alternative, the first on a tie, with capture groups', () => {
    expect(findFirstMatch('a login: b', ['b', 'login: '])).toEqual({
      index: 1,
      match: 'login: ',
      groups: [],
      start: 2,
      end: 9,
    });
    expect(findFirstMatch('router#', [/router(#|>)/, 'router'])).toMatchObject({ index: 0, groups: ['#'] });
    expect(findFirstMatch('xyz', ['a', /b/])).toBeUndefined();
  });

  it('searches from a position, ignoring the g and y flags of the pattern', () => {
    const sticky = /\$ /gy;
    expect(findFirstMatch('$ $ ', [sticky], 1)).toMatchObject({ start: 2 });
    expect(findFirstMatch('$ $ ', [sticky], 1)).toMatchObject({ start: 2 });
    expect(sticky.lastIndex).toBe(0);
  });

  test.prop([fc.string(), fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 4 })])(
    'agrees with indexOf for literal patterns',
    (text, patterns) => {
      const found = findFirstMatch(text, patterns);
      const starts = patterns.map((pattern) => text.indexOf(pattern)).filter((start) => start !== -1);
      if (starts.length === 0) expect(found).toBeUndefined();
      else {
        expect(found?.start).toBe(Math.min(...starts));
        expect(found?.index).toBe(patterns.findIndex((pattern) => text.indexOf(pattern) === found?.start));
      }
    },
  );
});

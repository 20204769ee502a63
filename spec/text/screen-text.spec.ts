import { describe, expect, it } from 'vitest';
import { screenLines } from '../../src/text/screen-text.js';

describe('screenLines', () => {
  it('removes ANSI sequences (CSI, OSC, two-byte) and other control characters', () => {
    expect(screenLines('\u001b[1;31mred\u001b[0m \u001b]0;title\u0007ok\u001b(B\u0000\u0007!')).toEqual(['red ok!']);
  });

  it('applies carriage returns and backspaces as a terminal does', () => {
    expect(screenLines('--More--\r        \rnext')).toEqual(['next']);
    expect(screenLines('abc\b\bXY')).toEqual(['aXY']);
    expect(screenLines('progress 10%\rprogress 100%')).toEqual(['progress 100%']);
  });

  it('splits at LF and trims trailing spaces', () => {
    expect(screenLines('one  \r\ntwo\n\nthree')).toEqual(['one', 'two', '', 'three']);
  });
});

import { describe, expect, it } from 'vitest';
import { ByteDecoder } from './byte-decoder.js';

describe('ByteDecoder, Windows-1252', () => {
  it('reads 0x80–0x9F as the Windows-1252 characters (€, dashes, quotes), not C1 controls, on every Node', () => {
    const bytes = Uint8Array.from([0x80, 0x20, 0x96, 0x20, 0x97, 0x20, 0x93, 0x51, 0x94, 0x20, 0x92, 0x20, 0x85, 0x20, 0xa3, 0xe9]);
    expect(new ByteDecoder('windows-1252').decode(bytes)).toBe('€ – — “Q” ’ … £é');
  });

  it('still refuses the five bytes Windows-1252 leaves undefined', () => {
    expect(new ByteDecoder('windows-1252').decode(Uint8Array.from([0x41, 0x81]))).toEqual({ offset: 1, reason: 'byte 0x81 is not a character in Windows-1252' });
  });
});

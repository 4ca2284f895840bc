import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../electron/core/uuidv7';

describe('uuidv7', () => {
  it('puts the time in the first 48 bits and sets version 7 and the variant', () => {
    const ms = Date.parse('2026-11-30T08:00:00.000Z');
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('stays strictly increasing within one millisecond and when the clock steps back', () => {
    const ids = [uuidv7(5_000_000), uuidv7(5_000_000), uuidv7(5_000_000), uuidv7(4_000_000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });
});

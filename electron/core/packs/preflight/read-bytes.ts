// Readers for fixed-layout headers. Callers check the length first, so these return 0 past the end instead of throwing.

export function u8(bytes: Uint8Array, at: number): number {
  return bytes[at] ?? 0;
}

export function u16be(bytes: Uint8Array, at: number): number {
  return (u8(bytes, at) << 8) | u8(bytes, at + 1);
}

export function u16le(bytes: Uint8Array, at: number): number {
  return u8(bytes, at) | (u8(bytes, at + 1) << 8);
}

export function u24le(bytes: Uint8Array, at: number): number {
  return u16le(bytes, at) | (u8(bytes, at + 2) << 16);
}

export function u32be(bytes: Uint8Array, at: number): number {
  // Multiplying instead of shifting keeps values of 2^31 and above positive.
  return u8(bytes, at) * 0x1000000 + ((u8(bytes, at + 1) << 16) | (u8(bytes, at + 2) << 8) | u8(bytes, at + 3));
}

export function u32le(bytes: Uint8Array, at: number): number {
  return u24le(bytes, at) + u8(bytes, at + 3) * 0x1000000;
}

/** Four-character codes and signatures; bytes past the end read as NUL so a short buffer never matches. */
export function ascii(bytes: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = at; i < at + length; i++) text += String.fromCharCode(u8(bytes, i));
  return text;
}

export function hasBytes(bytes: Uint8Array, at: number, expected: readonly number[]): boolean {
  return at + expected.length <= bytes.length && expected.every((byte, i) => bytes[at + i] === byte);
}

export type ZipSafetyCode =
  | 'zip-corrupt'
  | 'zip-absolute-path'
  | 'zip-parent-path'
  | 'zip-backslash'
  | 'zip-symlink'
  | 'zip-case-collision'
  | 'zip-entry-too-large'
  | 'zip-total-too-large'
  | 'zip-ratio'
  | 'zip-too-many-entries'
  | 'zip-encrypted'
  | 'zip-unsupported';

const EXPLANATIONS: Record<ZipSafetyCode, string> = {
  'zip-corrupt': 'the archive is damaged or not a zip file',
  'zip-absolute-path': 'an entry has an absolute path',
  'zip-parent-path': 'an entry path climbs out with ".."',
  'zip-backslash': 'an entry path contains a backslash',
  'zip-symlink': 'an entry is a symbolic link or another special file',
  'zip-case-collision': 'two entries would be the same file on Windows or macOS',
  'zip-entry-too-large': 'an entry is larger than allowed',
  'zip-total-too-large': 'the unpacked archive is larger than allowed',
  'zip-ratio': 'an entry expands far more than real content does (zip bomb)',
  'zip-too-many-entries': 'the archive has more entries than allowed',
  'zip-encrypted': 'an entry is encrypted',
  'zip-unsupported': 'the archive uses a zip feature kiosk packs do not support',
};

/** Why a kiosk pack archive was refused; `code` is stable for callers, the message is for logs. */
export class ZipSafetyError extends Error {
  constructor(
    readonly code: ZipSafetyCode,
    readonly entry: string | null,
    readonly detail: Record<string, string | number> = {},
  ) {
    const where = entry === null ? '' : ` (entry "${entry}")`;
    const facts = Object.entries(detail).map(([key, value]) => `${key}=${value}`);
    super(`${code}: ${EXPLANATIONS[code]}${where}${facts.length > 0 ? `; ${facts.join(', ')}` : ''}`);
    this.name = 'ZipSafetyError';
  }
}

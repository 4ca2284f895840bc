import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

/** The options every `kiosk` subcommand that reads a data folder takes. */
const COMMON_OPTIONS = {
  data: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/**
 * parseArgs with the common options, positionals allowed and unknown options refused, its errors turned
 * into a UsageError so every subcommand exits 2 on a bad command line the same way.
 */
export function parseCliArgs<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

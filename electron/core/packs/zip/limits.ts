export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Uncompressed/compressed size above which an entry over 1 MiB counts as a zip bomb. */
  maxRatio: number;
}

const GiB = 1024 ** 3;

export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 20_000,
  maxEntryBytes: 2 * GiB,
  maxTotalBytes: 8 * GiB,
  maxRatio: 200,
});

/** Small entries may compress extremely well (a blank page, a run of spaces) without being a bomb. */
export const RATIO_CHECK_MIN_BYTES = 1024 ** 2;

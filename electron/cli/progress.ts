/**
 * A one-line progress bar on a terminal, nothing at all when output is piped or redirected, so scripts
 * and `--json` consumers get clean output.
 */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

const megabytes = (done: number, total: number) => `${(done / 1024 / 1024).toFixed(1)}/${(total / 1024 / 1024).toFixed(1)} MB`;
/** "12,345/1,000,000 rows": for progress counted in rows rather than bytes. */
export const rowCount = (done: number, total: number) => `${done.toLocaleString('en')}/${total.toLocaleString('en')} rows`;

/** `amount` spells done/total after the bar: megabytes unless the caller counts something else (rows). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, amount: (done: number, total: number) => string = megabytes): Progress {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (now - lastDraw < 80 && done < total) return;
      lastDraw = now;
      const width = 30;
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(ratio * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${amount(done, total)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

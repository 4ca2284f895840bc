import type { AdminText } from '../../lib/admin-text';
import { formatCountdown } from '../../lib/admin-format';
import type { PinNotice } from '../../state/admin-console.svelte';

/** The line under the PIN pad: a running lockout outranks whatever the last attempt said. */
export function pinMessage(notice: PinNotice | null, lockoutSeconds: number, text: AdminText): string | null {
  if (lockoutSeconds > 0) return text.lockedOut(formatCountdown(lockoutSeconds));
  if (!notice) return null;
  switch (notice.kind) {
    case 'wrong':
      return notice.attemptsLeft === null ? text.wrongPin : text.wrongPin + text.sentenceGap + text.attemptsLeft(notice.attemptsLeft);
    case 'locked':
      return text.wrongPin;
    case 'session-ended':
      return text.sessionEnded;
    case 'error':
      return notice.code ? text.errors[notice.code] : text.unknownError;
  }
}

/**
 * The PIN policy both sides need: the service enforces it, the PIN pad counts down to it for staff. Kept
 * in common (plain constants, no imports) so the renderer can share it without bundling core.
 */
/** Wrong PINs allowed before the first lockout starts. */
export const PIN_FREE_ATTEMPTS = 3;

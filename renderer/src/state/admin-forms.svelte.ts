import type { ChangePinArgs, SetupKioskArgs } from '../../../electron/common/kiosk-api';

/** Mirrors the contract's PIN rule (4–12 digits) so the pad can refuse a short PIN before sending it. */
export const PIN_PATTERN = /^\d{4,12}$/;

export type SetupStep = 'pin' | 'repeat' | 'label' | 'location';
export const SETUP_STEPS: readonly SetupStep[] = ['pin', 'repeat', 'label', 'location'];

/**
 * First-start setup, one thing per screen: a PIN, the same PIN again (nobody sees what they typed, so
 * a typo must be caught here), then the kiosk's label and location.
 */
export class KioskSetup {
  step = $state<SetupStep>('pin');
  problem = $state<'pins-differ' | null>(null);
  label = $state('');
  location = $state('');
  private pin = '';

  get stepNumber(): number {
    return SETUP_STEPS.indexOf(this.step) + 1;
  }

  /** Label and location may not be blank: they are how staff and reports tell kiosks apart. */
  get canContinue(): boolean {
    if (this.step === 'label') return this.label.trim().length > 0;
    if (this.step === 'location') return this.location.trim().length > 0;
    return true;
  }

  choosePin(pin: string): void {
    if (!PIN_PATTERN.test(pin)) return;
    this.pin = pin;
    this.problem = null;
    this.step = 'repeat';
  }

  /** A different second PIN starts the PIN over: neither can be trusted to be the one staff meant. */
  repeatPin(pin: string): boolean {
    if (pin !== this.pin) {
      this.pin = '';
      this.problem = 'pins-differ';
      this.step = 'pin';
      return false;
    }
    this.problem = null;
    this.step = 'label';
    return true;
  }

  next(): void {
    if (this.step === 'label' && this.canContinue) this.step = 'location';
  }

  back(): void {
    if (this.step === 'location') this.step = 'label';
    else {
      this.pin = '';
      this.step = 'pin';
    }
  }

  /** The finished form, or null while any part is missing. */
  get args(): SetupKioskArgs | null {
    const label = this.label.trim();
    const location = this.location.trim();
    if (!PIN_PATTERN.test(this.pin) || !label || !location || this.step !== 'location') return null;
    return { pin: this.pin, label, location };
  }
}

export type PinChangeStep = 'current' | 'next' | 'again';

/** Changing the PIN: the current one, the new one, the new one again. */
export class PinChange {
  step = $state<PinChangeStep>('current');
  problem = $state<'pins-differ' | null>(null);
  private current = '';
  private next = '';

  enter(pin: string): Omit<ChangePinArgs, 'session'> | null {
    if (!PIN_PATTERN.test(pin)) return null;
    if (this.step === 'current') {
      this.current = pin;
      this.problem = null;
      this.step = 'next';
    } else if (this.step === 'next') {
      this.next = pin;
      this.step = 'again';
    } else if (pin !== this.next) {
      this.next = '';
      this.problem = 'pins-differ';
      this.step = 'next';
    } else {
      return { currentPin: this.current, newPin: this.next };
    }
    return null;
  }

  /** After a refused change (a wrong current PIN, say) or a successful one: start from the top. */
  restart(): void {
    this.current = '';
    this.next = '';
    this.step = 'current';
  }
}

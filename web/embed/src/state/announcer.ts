/**
 * Messages for the polite aria-live region. Repeating the same message alternates a trailing
 * no-break space so that screen readers announce it again.
 */
import { Emitter } from './emitter.js';

const MESSAGE = 'message';

export class Announcer extends Emitter<typeof MESSAGE> {
  static readonly key = MESSAGE;
  private current = '';

  get message(): string {
    return this.current;
  }

  announce(message: string): void {
    this.current = this.current === message ? `${message}\u00a0` : message;
    this.emit(MESSAGE);
  }
}

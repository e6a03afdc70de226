/**
 * Who may open another event stream: nobody once the process is shutting down, and otherwise at
 * most `maxConnections` streams in the process and `maxPerIp` from one client address.
 */
import { ParleyError } from '../../domain/errors.ts';
import type { HubOptions } from './options.ts';

export class Admission {
  /** Open streams per client address (addresses with none are not kept). */
  private readonly perIp = new Map<string, number>();
  /** Set when the process shuts down: every new stream is refused. */
  closing = false;

  constructor(private readonly options: Pick<HubOptions, 'maxConnections' | 'maxPerIp'>) {}

  /** Counts one more stream from `ip`, `open` being the streams open now, or refuses it. */
  admit(ip: string, open: number): void {
    if (this.closing) throw new ParleyError('RATE_LIMITED', 'The server is shutting down.');
    if (open >= this.options.maxConnections) {
      throw new ParleyError('RATE_LIMITED', 'Too many live connections; try again later.');
    }
    const count = this.perIp.get(ip) ?? 0;
    if (count >= this.options.maxPerIp) {
      throw new ParleyError('RATE_LIMITED', 'Too many live connections from your address.');
    }
    this.perIp.set(ip, count + 1);
  }

  /** A stream from `ip` ended. */
  release(ip: string): void {
    const count = (this.perIp.get(ip) ?? 1) - 1;
    if (count <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, count);
  }

  /** How many streams the client address holds open. */
  streamsFrom(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /** Addresses holding at least one stream. */
  get addresses(): number {
    return this.perIp.size;
  }
}

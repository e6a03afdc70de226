/** Data export, account deletion after a grace period, and the retention of addresses. */
import type { JobHandler } from '../jobs/worker.ts';
import type { RouteContext } from '../server/context.ts';

export function privacyJobs(_ctx: RouteContext): Record<string, JobHandler> {
  return {};
}

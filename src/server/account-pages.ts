/**
 * Parley's own pages for identity, on Parley's origin: the sign-in popup, the OIDC return page,
 * and the pages mailed links open (verify, reset, confirm a new address), and "your account".
 */
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './context.ts';

export async function installAccountPages(_app: FastifyInstance, _ctx: RouteContext): Promise<void> {}

/**
 * Names of jobs enqueued by a layer below the one that handles them. The name is the contract
 * between the two, so it lives here, beside the queue, where both may import it. (A job enqueued
 * only beside its handler keeps its name there.)
 */

/**
 * Erases an account once its deletion's grace period is over: handled in src/services/privacy.ts,
 * and enqueued again by a restore for the pending deletions an archive carries.
 */
export const ACCOUNT_DELETE_JOB = 'account.delete';

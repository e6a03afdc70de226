/**
 * "Learning from moderators" under a site's settings (docs/site-models.md): where the site's own
 * layer over the classifier stands, the decisions it learned from, and on the most recent
 * (held-out) decisions how the classifier does alone and with it. Admins turn learning on or off
 * and ask for a training now; moderators of the site read it.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { SiteModelReport } from '../api/site-model.js';
import { figureRows, shownModel, STATUS_LABELS, statusSentence } from '../state/site-model.js';
import { useDashboard } from './context.js';
import { formatCount, formatRelative } from './format.js';
import { Section } from './SettingsView.js';

export function SiteModelPanel(props: { siteId: string; isAdmin: boolean }) {
  const { api, announce } = useDashboard();
  const [report, setReport] = useState<SiteModelReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api.siteModel(props.siteId, controller.signal).then(
      (result) => setReport(result.siteModel),
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [props.siteId, reloads]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await work();
      announce(done);
      setReloads((n) => n + 1);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const model = report && shownModel(report);
  const learning = report !== null && report.status !== 'disabled';
  return (
    <div class="page-body settings">
      <Section title="Learning from moderators" id="set-site-model">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {!report && !error && <p class="muted">Loading…</p>}
        {report && (
          <>
            <p role="status">{statusSentence(report)}</p>
            <p class="field-hint">
              Learned from {formatCount(report.decisions.approved)} approvals and{' '}
              {formatCount(report.decisions.rejected)} rejections by this site’s moderators
              {report.decisions.sinceLastTraining !== null &&
                ` (${formatCount(report.decisions.sinceLastTraining)} since the last training; the next after ${formatCount(report.needed.retrainAfter)})`}
              . It only ever holds a comment for review, never rejects one.
            </p>
            {model?.base && model.site && (
              <table class="table table-compact">
                <caption>
                  {model.active ? 'In use' : `Last training (${STATUS_LABELS[model.status]})`},
                  trained {formatRelative(model.trainedAt)} on {formatCount(model.decisions)}{' '}
                  decisions; measured on the {formatCount(model.heldOut)} most recent.
                </caption>
                <thead>
                  <tr>
                    <th scope="col">On the most recent decisions</th>
                    <th scope="col" class="num">
                      Classifier alone
                    </th>
                    <th scope="col" class="num">
                      With this site’s layer
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {figureRows(model.base, model.site).map((row) => (
                    <tr key={row.label}>
                      <th scope="row">{row.label}</th>
                      <td class="num">{row.base}</td>
                      <td class="num">
                        {row.site}
                        {row.change !== 'same' && (
                          <span
                            class={`badge ${row.change === 'better' ? 'badge-info' : 'badge-caution'}`}
                          >
                            {row.change}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {model?.note && <p class="field-hint">{model.note}</p>}
            {report.history.length > 1 && (
              <p class="field-hint">
                Earlier:{' '}
                {report.history
                  .slice(model === report.history[0] ? 1 : 0, 6)
                  .filter((entry) => entry !== model)
                  .map(
                    (entry) =>
                      `${formatRelative(entry.trainedAt)} (${STATUS_LABELS[entry.status]})`,
                  )
                  .join(', ')}
                .
              </p>
            )}
            {props.isAdmin && (
              <div class="settings-actions">
                <label class="check">
                  <input
                    type="checkbox"
                    checked={report.learnFromModerators}
                    // Off for the whole server: the site's setting cannot turn it on.
                    disabled={busy || (!learning && report.learnFromModerators)}
                    onChange={(event) => {
                      const on = (event.currentTarget as HTMLInputElement).checked;
                      void act(
                        () => api.setLearnFromModerators(props.siteId, on),
                        on ? 'Learning from moderators is on.' : 'Learning from moderators is off.',
                      );
                    }}
                  />
                  Learn this site’s line from its moderators’ decisions
                </label>
                <button
                  type="button"
                  class="btn"
                  disabled={busy || !learning || report.trainingQueued}
                  onClick={() =>
                    void act(
                      () => api.retrainSiteModel(props.siteId),
                      'A training is queued; it is measured before it is used.',
                    )
                  }
                >
                  {report.trainingQueued ? 'Training queued' : 'Retrain now'}
                </button>
              </div>
            )}
          </>
        )}
      </Section>
    </div>
  );
}

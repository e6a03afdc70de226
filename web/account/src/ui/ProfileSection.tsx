/**
 * "Your profile and readers you ignore" on Your account (docs/profiles.md): whether the reader's
 * comment history is private on their public profile (saved as soon as the box changes), a link to
 * that profile when the page knows the site, and the readers they ignore, each with "Stop
 * ignoring" (the widget collapses those readers' comments on every device; they are not told).
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type ResponseOf } from '../api.js';
import { Notices, dateText, t, useAction } from './common.js';

type Choices = ResponseOf<'/api/v1/me/profile', 'get'>;
type Ignored = ResponseOf<'/api/v1/me/ignores', 'get'>['items'][number];

export function ProfileSection(props: {
  token: string;
  userId: string;
  siteId?: string | null | undefined;
}) {
  const { token, userId, siteId } = props;
  const words = t.readers;
  const [choices, setChoices] = useState<Choices | null>(null);
  const [ignored, setIgnored] = useState<readonly Ignored[] | null>(null);
  const load = useAction();
  const save = useAction();
  const undo = useAction();

  useEffect(() => {
    load.run(async () => {
      const [mine, list] = await Promise.all([
        call<Choices>('GET', '/me/profile', { token }),
        call<ResponseOf<'/api/v1/me/ignores', 'get'>>('GET', '/me/ignores', { token }),
      ]);
      setChoices(mine);
      setIgnored(list.items);
      return null;
    });
  }, [token]);

  // The box shows the choice at once; a failed save puts it back.
  const change = (next: boolean) => {
    const before = choices;
    setChoices({ private: next });
    save.run(async () => {
      try {
        setChoices(await call<Choices>('PATCH', '/me/profile', { token, body: { private: next } }));
      } catch (failure) {
        setChoices(before);
        throw failure;
      }
      return next ? words.privateOn : words.privateOff;
    });
  };

  const stop = (reader: Ignored) =>
    undo.run(async () => {
      await call('DELETE', `/me/ignores/${encodeURIComponent(reader.userId)}`, { token });
      const list = await call<ResponseOf<'/api/v1/me/ignores', 'get'>>('GET', '/me/ignores', {
        token,
      });
      setIgnored(list.items);
      return words.stopped(reader.displayName);
    });

  return (
    <section class="section" aria-labelledby="readers">
      <h2 id="readers">{words.section}</h2>
      {!choices || !ignored ? (
        <Notices action={load} />
      ) : (
        <>
          <label class="choice">
            <input
              type="checkbox"
              name="private"
              checked={choices.private}
              disabled={save.busy}
              aria-describedby="private-hint"
              onChange={(event) => change(event.currentTarget.checked)}
            />
            {words.privateLabel}
          </label>
          <p class="hint" id="private-hint">
            {words.privateHint}
          </p>
          <Notices action={save} />
          {siteId && (
            <p>
              <a
                href={`/profiles/${encodeURIComponent(siteId)}/${encodeURIComponent(userId)}`}
                target="_blank"
              >
                {words.seeProfile}
              </a>
            </p>
          )}
          <h3 id="ignored-readers">{words.ignoredTitle}</h3>
          <p class="hint">{words.ignoredHint}</p>
          {ignored.length === 0 ? (
            <p class="ignored-empty">{words.ignoredEmpty}</p>
          ) : (
            <ul class="ignored" aria-labelledby="ignored-readers">
              {ignored.map((reader) => (
                <li key={reader.userId}>
                  <span>
                    <bdi>{reader.displayName}</bdi>{' '}
                    <span class="hint">{words.since(dateText(reader.since))}</span>
                  </span>
                  <button
                    type="button"
                    aria-label={words.stopIgnoringName(reader.displayName)}
                    disabled={undo.busy}
                    onClick={() => stop(reader)}
                  >
                    {words.stopIgnoring}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <Notices action={undo} />
        </>
      )}
    </section>
  );
}

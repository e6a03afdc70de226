/**
 * The notification features' module (see ../state/features.ts): what embed.js gets when it imports
 * notify/<lang>.<version>.js. Each place the widget leaves for them (a Slot) is rendered here, by
 * this module's own Preact, with what they share for that widget (./shared.ts); their stylesheet
 * joins the widget's shadow root with the first of them. Besides notifications, the module carries
 * what only a signed-in reader uses (embed.js has a first-paint budget): the comment forms (the
 * composer, a reply, an edit, a report and the question before deleting, ui/Writing.tsx) with
 * their keyboard shortcuts, the question before a typed reply is discarded and the community
 * guidelines link, why the author's held comment waits and how long their comment may still be
 * edited, and the appeal of a removed comment.
 */
import { render } from 'preact';
import type { ComponentChild } from 'preact';
import type { CommentFormProps, FeatureModule } from '../state/features.js';
import type { Widget } from '../ui/widget-context.js';
import type { NotifyMessages } from './i18n/en.js';
import css from './notify.css';
import { Qa } from './qa/Qa.js';
import type { QaProps } from './qa/Qa.js';
import qaCss from './qa/qa.css';
import { NotifyContext, createNotify } from './shared.js';
import type { Notify } from './shared.js';
import { AccountBar } from './ui/AccountBar.js';
import { AppealForm } from './ui/AppealForm.js';
import { Bell } from './ui/Bell.js';
import { EditButton, EditTime, HeldReasons } from './ui/CommentNotes.js';
import { IgnoreControl } from './ui/IgnoreControl.js';
import { InboxPanel } from './ui/InboxPanel.js';
import { LinkedNotice } from './ui/LinkedNotice.js';
import { CommentForms, Composer } from './ui/Writing.js';
import { ViewsReporter } from './views.js';
import { addWrites } from './writes.js';

function view(name: string, element: HTMLElement, props: object | undefined): ComponentChild {
  switch (name) {
    case 'bell':
      return <Bell />;
    // A signed-in reader's account bar (with the bell).
    case 'account':
      return <AccountBar />;
    case 'inbox':
      return <InboxPanel />;
    case 'linked':
      return <LinkedNotice />;
    case 'composer':
      return <Composer />;
    case 'reply':
    case 'edit':
    case 'delete':
    case 'report':
      return <CommentForms name={name} {...(props as CommentFormProps)} />;
    case 'held':
      return <HeldReasons slot={element} />;
    // The Digital Services Act (docs/dsa.md): the author's appeal under their rejected comment.
    case 'appeal':
      return <AppealForm slot={element} />;
    case 'edit-time':
      return <EditTime slot={element} />;
    // The author's Edit button, while their comment may be edited.
    case 'edit-button':
      return <EditButton slot={element} {...(props as { open: () => void })} />;
    // Ignoring a reader (docs/profiles.md): "Ignore", or the collapsed comment and "Show".
    case 'ignore':
      return <IgnoreControl slot={element} />;
    // A Q&A story's questions and answers, for every reader (docs/qa.md).
    case 'qa':
      return <Qa {...(props as QaProps)} />;
    // Readers' views of comments, for the Best order (docs/sorting.md).
    case 'views':
      return <ViewsReporter slot={element} />;
    default:
      return null;
  }
}

export function createFeatures(t: NotifyMessages): FeatureModule {
  const made = new WeakMap<object, Notify>();
  return {
    mount(name, element, host, props) {
      const root = element.getRootNode() as ParentNode;
      let notify = made.get(host);
      if (!notify) {
        adoptStyles(root);
        // A signed-in reader's actions (post, edit, delete, respect, report...), before any form.
        addWrites(host as Widget);
        notify = createNotify(host as Widget, t, root);
        made.set(host, notify);
      }
      render(
        <NotifyContext.Provider value={notify}>
          {view(name, element, props)}
        </NotifyContext.Provider>,
        element,
      );
      return () => render(null, element);
    },
  };
}

/** As embed.js does: a constructed stylesheet (allowed by a strict CSP), else a <style>. */
function adoptStyles(root: ParentNode): void {
  if (
    root instanceof ShadowRoot &&
    'adoptedStyleSheets' in root &&
    typeof CSSStyleSheet.prototype.replaceSync === 'function'
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css + qaCss);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css + qaCss;
  (root instanceof ShadowRoot ? root : document.head).appendChild(style);
}

/** The notification features in Arabic (scripts/build-web.ts builds one file per language). */
import { createFeatures } from '../features.js';
import messages from '../i18n/ar.js';

export default createFeatures(messages);

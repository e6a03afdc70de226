/** The notification features in Hebrew (scripts/build-web.ts builds one file per language). */
import { createFeatures } from '../features.js';
import messages from '../i18n/he.js';

export default createFeatures(messages);

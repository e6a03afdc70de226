/** The notification features in English (scripts/build-web.ts builds one file per language). */
import { createFeatures } from '../features.js';
import messages from '../i18n/en.js';

export default createFeatures(messages);

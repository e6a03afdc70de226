/** The notification features in French (scripts/build-web.ts builds one file per language). */
import { createFeatures } from '../features.js';
import messages from '../i18n/fr.js';

export default createFeatures(messages);

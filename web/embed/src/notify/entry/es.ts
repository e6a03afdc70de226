/** The notification features in Spanish (scripts/build-web.ts builds one file per language). */
import { createFeatures } from '../features.js';
import messages from '../i18n/es.js';

export default createFeatures(messages);

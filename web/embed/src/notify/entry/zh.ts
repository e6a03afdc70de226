/** The notification features in Chinese (scripts/build-web.ts builds one file per language). */
import { createFeatures } from '../features.js';
import messages from '../i18n/zh.js';

export default createFeatures(messages);

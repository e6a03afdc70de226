/** The account pages with their words in one language (scripts/build-web.ts builds one per language). */
import messages from '../i18n/fr.js';
import { start } from '../main.js';

start(messages);

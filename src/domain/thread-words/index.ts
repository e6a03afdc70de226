/**
 * The thread's words in every interface language, for the server (the widget imports only the
 * language it needs, ./<lang>.ts, to keep each of its files small).
 */
import type { InterfaceLanguage } from '../vocabulary.ts';
import ar from './ar.ts';
import en from './en.ts';
import type { ThreadWords } from './en.ts';
import es from './es.ts';
import fr from './fr.ts';
import he from './he.ts';
import zh from './zh.ts';

export type { ThreadWords };

export const THREAD_WORDS: Readonly<Record<InterfaceLanguage, ThreadWords>> = {
  en,
  ar,
  he,
  zh,
  fr,
  es,
};

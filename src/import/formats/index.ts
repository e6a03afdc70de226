/**
 * The formats `parley import <format>` reads. Each reader parses its source as a stream and yields
 * SourceItems (../records.ts); the importer does the rest.
 */
import type { SourceReader } from '../records.ts';
import { readDisqus } from './disqus.ts';
import { readWordPress } from './wordpress.ts';
import { readCoralCsv, readCoralMongo } from './coral.ts';
import { readRemark42 } from './remark42.ts';
import { readCommento } from './commento.ts';
import { readIsso } from './isso.ts';

export interface SourceFormat {
  /** The command-line name: `parley import <name> <file>`. */
  name: string;
  /** The source system, as rows remember it (ids are unique only within one system). */
  source: string;
  description: string;
  read: SourceReader;
}

export const FORMATS: readonly SourceFormat[] = [
  {
    name: 'disqus',
    source: 'disqus',
    description: 'Disqus XML export (<disqus> with <thread> and <post> elements)',
    read: readDisqus,
  },
  {
    name: 'wordpress',
    source: 'wordpress',
    description: 'WordPress eXtended RSS (WXR) export with <wp:comment> elements',
    read: readWordPress,
  },
  {
    name: 'coral-csv',
    source: 'coral',
    description: "Coral's CSV import format: a directory of users.csv, stories.csv, comments.csv",
    read: readCoralCsv,
  },
  {
    name: 'coral-mongo',
    source: 'coral',
    description:
      'Coral MongoDB export: a directory of mongoexport users.json, stories.json, comments.json',
    read: readCoralMongo,
  },
  {
    name: 'remark42',
    source: 'remark42',
    description: 'Remark42 backup (JSON lines, gzipped or not)',
    read: readRemark42,
  },
  {
    name: 'commento',
    source: 'commento',
    description: 'Commento (version 1) or Comentario (version 3) JSON export, gzipped or not',
    read: readCommento,
  },
  {
    name: 'isso',
    source: 'isso',
    description: "Isso's SQLite database (comments.db)",
    read: readIsso,
  },
];

export function findFormat(name: string): SourceFormat | undefined {
  return FORMATS.find((format) => format.name === name);
}

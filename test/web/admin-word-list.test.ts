/**
 * Editing a word list in the dashboard (web/admin/src/state/word-list.ts): a change adds terms,
 * re-grades those already listed (whatever their case or compatibility form) and removes terms,
 * applied to the list as the server has it; pasted text becomes terms one per line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WordListEntry } from '../../web/admin/src/api/types.ts';
import {
  applyWordChange,
  MAX_TERM_LENGTH,
  parseTerms,
  termKey,
} from '../../web/admin/src/state/word-list.ts';

const list: WordListEntry[] = [
  { term: 'Scumbag', strength: 'banned' },
  { term: 'moron', strength: 'suspect' },
];

describe('admin word list', () => {
  it('sees one term through case and compatibility forms', () => {
    assert.equal(termKey('  ＳＣＵＭＢＡＧ '), termKey('scumbag'));
  });

  it('adds new terms at the end and re-grades listed ones in place', () => {
    const result = applyWordChange(list, {
      add: [
        { term: 'idiot', strength: 'suspect' },
        { term: 'SCUMBAG', strength: 'suspect' },
      ],
    });
    assert.deepEqual(result, [
      { term: 'Scumbag', strength: 'suspect' },
      { term: 'moron', strength: 'suspect' },
      { term: 'idiot', strength: 'suspect' },
    ]);
  });

  it('removes terms whatever their case, and keeps terms others added meanwhile', () => {
    const server = [...list, { term: 'added elsewhere', strength: 'banned' as const }];
    assert.deepEqual(applyWordChange(server, { remove: ['MORON'] }), [
      { term: 'Scumbag', strength: 'banned' },
      { term: 'added elsewhere', strength: 'banned' },
    ]);
  });

  it('reads pasted text one term per line, without blanks, repeats or overlong lines', () => {
    const long = 'x'.repeat(MAX_TERM_LENGTH + 1);
    assert.deepEqual(parseTerms('moron\r\n\n  idiot  \nMORON\n' + long + '\n'), {
      terms: ['moron', 'idiot'],
      tooLong: [long],
    });
  });
});

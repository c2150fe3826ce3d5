/** Where a JSON document's field is written, and where its JSON first breaks. */
import t from 'tap';
import { z } from 'zod';
import { HarnessError } from '../../src/errors.js';
import { checkJsonDoc, jsonSyntaxError, parseJsonText, positionInJson } from '../../src/results/json-doc.js';

const text = '{\n "a": 1,\n "cells": [\n  {"id": "x", "axes": {"cgo": "2"}},\n  {"id": 5}\n ],\n "z": {"deep": [1, 2, {"k": null}]}\n}';

t.test('the position of a value, or of its deepest existing parent', async (t) => {
  t.equal(positionInJson(text, ['cells', 0, 'axes', 'cgo']), '4:31');
  t.equal(positionInJson(text, ['cells', 1, 'id']), '5:10', 'after a skipped sibling');
  t.equal(positionInJson(text, ['cells', 1, 'axes']), '5:3', 'a missing field: its object');
  t.equal(positionInJson(text, ['z', 'deep', 2, 'k']), '7:29', 'after skipped branches');
  t.equal(positionInJson(text, ['nothing']), '1:1', 'the document');
});

t.test('broken JSON: where, and what was expected, in words', async (t) => {
  t.same(jsonSyntaxError('{"a": [1, 2'), { at: '1:12', what: 'close bracket expected' });
  t.same(jsonSyntaxError('\n\n{"a" 1}'), { at: '3:6', what: 'colon expected' });
  t.same(jsonSyntaxError('  '), { at: '1:1', what: 'an empty file' });
  t.equal(jsonSyntaxError(text), undefined);
});

t.test('parse and check: errors made by the caller, naming file:line:column, field and value', async (t) => {
  const fail = (m: string) => new HarnessError('GDH_RESULTS', m);
  t.throws(() => parseJsonText('{"a": ', 'f.json', fail, '; hint'), { message: 'f.json:1:7: not JSON (value expected); hint', code: 'GDH_RESULTS' });
  const schema = z.object({ cells: z.array(z.object({ id: z.string() })) });
  t.throws(() => checkJsonDoc(schema, JSON.parse(text), text, 'f.json', fail), { message: 'f.json:5:10: cells[1].id: 5 is not valid; Invalid input: expected string, received number' });
  t.same(checkJsonDoc(z.object({ a: z.number() }), { a: 1 }, '{"a":1}', 'f.json', fail), { a: 1 });
});

import t from 'tap';
import { godebugFor } from '../../src/go/godebug.js';

t.test('netdns with the trace level, then extras', async (t) => {
  t.equal(godebugFor('default'), 'netdns=2');
  t.equal(godebugFor('go'), 'netdns=go+2');
  t.equal(godebugFor('cgo', ['netedns0=0', ' ']), 'netdns=cgo+2,netedns0=0');
});

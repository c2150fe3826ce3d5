import { MODIFIER_ACTIONS, type Rule, type RuleMatch } from './options-schema.js';
import type { Transport } from './listen.js';
import { normalizeName } from './zone.js';

/** The facts about one query that rules can match on. */
export interface QueryFacts {
  qname: string;
  qtype: string;
  transport: Transport;
  edns: boolean;
  ad: boolean;
  cd: boolean;
  do: boolean;
  /** 1 for the first query for this name that this server saw, 2 for the second, ... */
  nth: number;
}

/** What the rules decided: the terminal rule (or the default answer) and the modifiers on the way. */
export interface Decision {
  rule: Rule;
  /** Index of the terminal rule in the list, or -1 for the default answer. */
  ruleIndex: number;
  delayMs: number;
  /** Delays counted from the first query for this name and type (delay with since: first). */
  delayFromFirstMs: number;
  clearRa: boolean;
  /** Indexes of every rule that matched, modifiers included, for the query log. */
  matched: number[];
  /** swap-parallel: the type whose question and answer this query gets instead of its own. */
  swapTo?: 'A' | 'AAAA';
}

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = normalizeName(glob)
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re;
}

function nthMatches(nth: NonNullable<RuleMatch['nth']>, n: number): boolean {
  if (typeof nth === 'number') return n === nth;
  if (Array.isArray(nth)) return nth.includes(n);
  return (nth.from === undefined || n >= nth.from) && (nth.to === undefined || n <= nth.to);
}

export function ruleMatches(m: RuleMatch, q: QueryFacts): boolean {
  const name = normalizeName(q.qname);
  if (m.qname !== undefined && normalizeName(m.qname) !== name) return false;
  if (m.suffix !== undefined) {
    const suffix = normalizeName(m.suffix);
    if (suffix !== '' && name !== suffix && !name.endsWith(`.${suffix}`)) return false;
  }
  if (m.glob !== undefined && !globToRegExp(m.glob).test(name)) return false;
  if (m.qtype !== undefined && !m.qtype.includes(q.qtype.toUpperCase())) return false;
  if (m.transport !== undefined && m.transport !== q.transport) return false;
  if (m.edns !== undefined && m.edns !== q.edns) return false;
  if (m.ad !== undefined && m.ad !== q.ad) return false;
  if (m.cd !== undefined && m.cd !== q.cd) return false;
  if (m.do !== undefined && m.do !== q.do) return false;
  if (m.nth !== undefined && !nthMatches(m.nth, q.nth)) return false;
  return true;
}

export const DEFAULT_ANSWER: Rule = {
  match: {},
  action: 'answer',
  on: 'udp',
  rcode: 16,
  qname: 'spoofed.invalid',
  bytes: 64,
  records: 64,
  since: 'query',
  overflow: 'truncate',
  windowMs: 100,
};

/**
 * Walks the rules in order. Modifiers (delay, clear-ra) add to the decision and the walk goes on;
 * the first other matching rule ends it. Rules that cannot apply to this transport (tcp-close on
 * UDP, a UDP-only truncate on TCP) are passed over, so the next rule or the default answer applies.
 */
export function decide(rules: readonly Rule[], q: QueryFacts): Decision {
  const d: Decision = { rule: DEFAULT_ANSWER, ruleIndex: -1, delayMs: 0, delayFromFirstMs: 0, clearRa: false, matched: [] };
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as Rule;
    if (!ruleMatches(rule.match, q)) continue;
    if (rule.action === 'tcp-close' && q.transport !== 'tcp') continue;
    if (rule.action === 'truncate' && rule.on === 'udp' && q.transport !== 'udp') continue;
    d.matched.push(i);
    if (MODIFIER_ACTIONS.has(rule.action)) {
      if (rule.action === 'delay' && rule.since === 'first') d.delayFromFirstMs += rule.ms ?? 0;
      else if (rule.action === 'delay') d.delayMs += rule.ms ?? 0;
      else d.clearRa = true;
      continue;
    }
    d.rule = rule;
    d.ruleIndex = i;
    break;
  }
  return d;
}

/**
 * The DNS numbers the server reads and writes, declared once: header flag bits, the EDNS DO bit,
 * the OPT type and the RCODEs. Header RCODE names are dns-packet's own table (so they match what
 * its encoder and decoder say); the extended ones, which live in the OPT record, are added here.
 */
import * as rcodes from 'dns-packet/rcodes.js';

/** Header flag bits (RFC 1035 4.1.1; AD and CD from RFC 4035). */
export const QR = 1 << 15;
export const AA = 1 << 10;
export const TC = 1 << 9;
export const RD = 1 << 8;
export const RA = 1 << 7;
export const AD = 1 << 5;
export const CD = 1 << 4;

/** The DO bit of an OPT record's TTL field (RFC 3225). */
export const EDNS_DO = 1 << 15;

/** The OPT pseudo-record's type (RFC 6891). */
export const OPT_TYPE = 41;

/** The header RCODEs a reply of ours carries. */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** Extended RCODEs (RFC 6891, 2845, 7873): 12 bits, the upper 8 in the OPT record. BADSIG shares 16 with BADVERS. */
export const EXTENDED_RCODES: Record<string, number> = { BADVERS: 16, BADSIG: 16, BADKEY: 17, BADTIME: 18, BADCOOKIE: 23 };

const EXTENDED_NAMES: Record<number, string> = { 16: 'BADVERS', 17: 'BADKEY', 18: 'BADTIME', 23: 'BADCOOKIE' };

/** An RCODE's name: BADVERS for 16, dns-packet's name for a header one (NXDOMAIN, RCODE_11). */
export const rcodeName = (n: number): string => EXTENDED_NAMES[n] ?? rcodes.toString(n);

export { startFakeDns, type FakeDnsServer } from './dns/server.js';
export { parseListen, formatListen, type ListenAddress, type Transport } from './dns/listen.js';
export { ACTIONS, type Action, type FakeDnsOptions, type Rule, type RuleInput, type RecordsInput } from './dns/options-schema.js';
export { QueryLog, type QueryRecord, type ResponseInfo, type EdnsInfo } from './dns/query-log.js';
export { HarnessError, ConfigError, BindError } from './errors.js';

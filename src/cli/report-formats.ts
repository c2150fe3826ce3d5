/** The formats `report --format` takes, each with what it shows: the one list the help and the parser read. */
export const REPORT_FORMATS = {
  markdown: 'the tables (the default)',
  html: 'one self-contained page',
  terminal: 'the grids as `run` prints them',
  changes: 'what changed between adjacent Go versions, and between platforms',
  clients: 'what each Go version and glibc send',
  fingerprints: 'where each wire rule fired',
  stubs: "the real systemd-resolved against its stand-ins, and each platform's resolved side by side",
  libc: "Go's resolver, glibc and each musl side by side",
  platforms: 'the host and each platform side by side, where they differ',
  junit: 'JUnit XML',
  github: 'annotations and step summary',
} as const;

export type ReportFormat = keyof typeof REPORT_FORMATS;
export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormat[];

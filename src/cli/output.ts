/** Where the CLI writes; the process streams in production, buffers in tests. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
}

export interface CliStream {
  write(text: string): unknown;
  /** True on a terminal, where a live status line may redraw itself; pipes and CI logs get plain lines. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

/**
 * Prints results either as the HTTP API's JSON (--json, for scripts) or as
 * text for people. Data goes to stdout; notes for people go to stderr, so a
 * script piping stdout never has to filter them out.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** One API object: the object itself as JSON, or one `key  value` line per field. */
  record(response: object): void {
    if (this.json) return this.writeJson(response);
    const entries = Object.entries(response);
    const width = Math.max(...entries.map(([key]) => key.length));
    this.io.stdout.write(entries.map(([key, value]) => `${key.padEnd(width)}  ${formatValue(value)}`.trimEnd() + '\n').join(''));
  }

  /** A page of API objects: `{data, next_cursor}` as JSON, or an aligned table. */
  page<T>(response: { data: T[]; next_cursor: string | null }, columns: readonly Column<T>[], nextPageHint?: string): void {
    if (this.json) return this.writeJson(response);
    this.table(response.data, columns);
    if (response.next_cursor !== null && nextPageHint) this.note(`More results: ${nextPageHint} --cursor ${response.next_cursor}`);
  }

  /** Rows as an aligned table, whatever the output mode (a summary inside text output). */
  rows<T>(data: T[], columns: readonly Column<T>[]): void {
    this.table(data, columns);
  }

  /** A list without pagination: `{data}` as JSON, or an aligned table. */
  list<T>(data: T[], columns: readonly Column<T>[]): void {
    if (this.json) return this.writeJson({ data });
    this.table(data, columns);
  }

  /** A confirmation for people; with --json, stdout stays as empty as the API's 204 body. */
  done(message: string): void {
    if (!this.json) this.io.stdout.write(`${message}\n`);
  }

  note(message: string): void {
    this.io.stderr.write(`${message}\n`);
  }

  private table<T>(rows: T[], columns: readonly Column<T>[]): void {
    const cells = rows.map((row) => columns.map((column) => formatValue(column.value(row))));
    const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
    const render = (line: string[]) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd() + '\n';
    this.io.stdout.write([columns.map((column) => column.header), ...cells].map(render).join(''));
  }

  private writeJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

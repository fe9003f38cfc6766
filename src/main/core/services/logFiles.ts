import fs from 'node:fs';
import path from 'node:path';

export interface ServiceLogOptions {
  file: string;
  /** Size at which the file is rotated, in bytes. */
  maxBytes?: number;
  /** Rotated files kept: `x.log.1` (newest) to `x.log.<backups>`. */
  backups?: number;
  /** Lines kept in memory for the live tail. */
  tailLines?: number;
}

/** Longest line kept in the tail, in characters; longer lines are cut with an ellipsis so a binary dump cannot fill memory. */
const maxLineChars = 4000;

/** Lines kept as the crash excerpt. */
const crashExcerptLines = 50;

/**
 * stdout and stderr of one service: appended to a size-capped file with
 * numbered backups, and kept as an in-memory tail for the GUI and CLI.
 */
export class ServiceLog {
  private fd: number;
  private sizeBytes: number;
  private readonly maxBytes: number;
  private readonly backups: number;
  private readonly tailLimit: number;
  private readonly tail: string[] = [];
  private readonly partial = { stdout: '', stderr: '' };
  private crashLines: string[] = [];

  constructor(private readonly options: ServiceLogOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.backups = options.backups ?? 3;
    this.tailLimit = options.tailLines ?? 1000;

    fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
    this.seedTail();
    this.fd = fs.openSync(options.file, 'a', 0o600);
    this.sizeBytes = fs.fstatSync(this.fd).size;
  }

  /** Appends output of the child; `stream` decides the `[stderr] ` prefix of each line. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const lines = text.split('\n');
    this.partial[stream] = (lines.pop() ?? '').slice(-maxLineChars);

    const prefix = stream === 'stderr' ? '[stderr] ' : '';
    const formatted = lines.map((line) => prefix + line);
    if (formatted.length > 0) this.append(formatted);
  }

  /** Writes a line of the supervisor itself (start, exit, restart) into the service log. */
  note(message: string): void {
    this.append([`[hub] ${new Date().toISOString()} ${message}`]);
  }

  /** Keeps the latest lines as the crash excerpt, flushing any unterminated line first. */
  markCrash(): void {
    this.flushPartial();
    this.crashLines = this.tail.slice(-crashExcerptLines);
  }

  /** The latest `count` lines, oldest first. */
  latest(count: number): string[] {
    return this.tail.slice(-count);
  }

  lastCrashLines(): string[] {
    return [...this.crashLines];
  }

  close(): void {
    this.flushPartial();
    fs.closeSync(this.fd);
  }

  private flushPartial(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.write(stream, '\n');
    }
  }

  private append(lines: string[]): void {
    const data = `${lines.join('\n')}\n`;
    fs.writeSync(this.fd, data);
    this.sizeBytes += Buffer.byteLength(data);

    for (const line of lines) this.tail.push(line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line);
    if (this.tail.length > this.tailLimit) this.tail.splice(0, this.tail.length - this.tailLimit);

    if (this.sizeBytes >= this.maxBytes) this.rotate();
  }

  private rotate(): void {
    const { file } = this.options;
    fs.closeSync(this.fd);

    for (let index = this.backups - 1; index >= 1; index -= 1) {
      if (fs.existsSync(`${file}.${index}`)) fs.renameSync(`${file}.${index}`, `${file}.${index + 1}`);
    }
    if (this.backups > 0) fs.renameSync(file, `${file}.1`);
    else fs.truncateSync(file);

    this.fd = fs.openSync(file, 'a', 0o600);
    this.sizeBytes = 0;
  }

  /** Loads the end of an existing file so the tail survives a hub restart. */
  private seedTail(): void {
    let content: Buffer;
    let truncated = false;
    try {
      const handle = fs.openSync(this.options.file, 'r');
      const size = fs.fstatSync(handle).size;
      const length = Math.min(size, 64 * 1024);
      content = Buffer.alloc(length);
      fs.readSync(handle, content, 0, length, size - length);
      truncated = size > length;
      fs.closeSync(handle);
    } catch {
      return;
    }

    const lines = content.toString().split('\n');
    lines.pop();
    if (truncated) lines.shift(); // cut mid-line
    this.tail.push(...lines.slice(-this.tailLimit));
  }
}

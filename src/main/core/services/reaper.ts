import { spawn, type ChildProcess } from 'node:child_process';

import type { Logger } from '../logger';

/**
 * Shell script of the reaper. It reads `add PGID SIGNAL` and `remove PGID`
 * lines on stdin. At end of input, which comes when the hub exits however it
 * died, it sends each remaining group its stop signal, waits 2 s, then sends SIGKILL.
 */
const reaperScript = `
groups=""
while read -r verb pgid signal; do
  case "$verb" in
    add) groups="$groups $pgid:$signal" ;;
    remove) next=""; for entry in $groups; do [ "\${entry%%:*}" = "$pgid" ] || next="$next $entry"; done; groups="$next" ;;
  esac
done
[ -z "$groups" ] && exit 0
for entry in $groups; do kill -s "\${entry#*:}" -- "-\${entry%%:*}" 2>/dev/null; done
sleep 2
for entry in $groups; do kill -s KILL -- "-\${entry%%:*}" 2>/dev/null; done
`;

/**
 * A `/bin/sh` process that outlives the hub and stops its service groups when
 * the hub dies without stopping them (SIGKILL, crash). macOS has no
 * parent-death signal, so end of input on a pipe is the portable way to notice.
 * The records file still covers a reaper that was killed too.
 */
export class Reaper {
  private child: ChildProcess | null = null;

  constructor(private readonly log: Logger) {}

  /** Tells the reaper about a new group; starts the reaper on first use. */
  add(pgid: number, signal: string): void {
    this.write(`add ${pgid} ${signal.replace(/^SIG/, '')}\n`);
  }

  remove(pgid: number): void {
    if (this.child) this.write(`remove ${pgid}\n`);
  }

  /** Ends the reaper's input after a normal stop; it then exits and signals only groups never removed. */
  close(): void {
    this.child?.stdin?.end();
    this.child = null;
  }

  private write(line: string): void {
    const child = this.child ?? this.start();
    if (!child?.stdin?.writable) return;

    child.stdin.write(line);
  }

  private start(): ChildProcess | null {
    try {
      // Its own process group, so a signal aimed at the hub's group does not reach it.
      const child = spawn('/bin/sh', ['-c', reaperScript], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', (error) => this.log.error('start(): reaper failed', error));
      child.stdin?.on('error', (error) => this.log.error('start(): reaper input failed', error));
      child.unref();
      (child.stdin as { unref?: () => void } | null)?.unref?.();
      this.child = child;
      this.log.info(`start(): reaper started pid=${child.pid ?? 'none'}`);

      return child;
    } catch (error) {
      this.log.error('start(): cannot start the reaper', error);

      return null;
    }
  }
}

import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Shell script of the reaper. It reads `watch PGID` and `done` lines on stdin.
 * End of input without `done` means that the wrapper died (SIGKILL, crash).
 * The script then sends the watched group SIGCONT, because a pause may have
 * stopped it, then SIGTERM, and SIGKILL to what is left of it after 3 s.
 */
const reaperScript = `
pgid=""
while read -r verb value; do
  case "$verb" in
    watch) pgid="$value" ;;
    done) exit 0 ;;
  esac
done
[ -n "$pgid" ] || exit 0
kill -s CONT -- "-$pgid" 2>/dev/null
kill -s TERM -- "-$pgid" 2>/dev/null
for second in 1 2 3; do kill -s 0 -- "-$pgid" 2>/dev/null || exit 0; sleep 1; done
kill -s CONT -- "-$pgid" 2>/dev/null
kill -s KILL -- "-$pgid" 2>/dev/null
`;

/**
 * A `/bin/sh` process that ends the command's process group when `mlops-hub run`
 * dies without cleaning up. The command runs in its own group, so it does not
 * die with the wrapper, and its lease is freed by the hub at once. macOS has no
 * parent-death signal, so end of input on a pipe is how the reaper notices.
 * Start it before the command, so that no moment exists where the command runs unwatched.
 */
export class GroupReaper {
  private readonly child: ChildProcess;

  constructor() {
    // Its own process group, so Ctrl-C in the terminal does not end it before the command.
    this.child = spawn('/bin/sh', ['-c', reaperScript], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    // When the reaper fails to start, writes go nowhere and the command runs unwatched.
    this.child.on('error', () => undefined);
    this.child.stdin?.on('error', () => undefined);
    this.child.unref();
    (this.child.stdin as { unref?: () => void } | null)?.unref?.();
  }

  /** Watches the group `pgid`, which the reaper ends if this process dies before `disarm`. */
  watch(pgid: number): void {
    this.write(`watch ${pgid}\n`);
  }

  /** Tells the reaper that the command has ended normally, so it exits without sending a signal. */
  disarm(): void {
    this.write('done\n');
    this.child.stdin?.end();
  }

  private write(line: string): void {
    if (this.child.stdin?.writable) this.child.stdin.write(line);
  }
}

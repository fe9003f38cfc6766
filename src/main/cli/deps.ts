/** Surroundings of every command: data folder, working folder and output. Tests replace the output functions. */
export interface CliDeps {
  /** Data folder of the hub (`MLOPS_HUB_HOME` or the platform default). */
  dataDir: string;
  /** Folder the command was started in. */
  cwd: string;
  /** Writes one line to stdout. */
  print(line: string): void;
  /** Writes one line to stderr. */
  warn(line: string): void;
}

/** A command failed; the CLI prints `mlops-hub: <command>: <message>` and exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

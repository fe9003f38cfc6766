import fs from 'node:fs';
import path from 'node:path';

/** Search path for programs: the Python environment's `bin` first, then PATH. */
export interface ProgramSearch {
  /** Python environment folder (venv or conda env); null to search PATH only. */
  pythonEnvDir: string | null;
  /** The PATH to search, `:`-separated. */
  pathVariable: string;
}

/** Absolute path of an executable `command`, or null when it is not installed. */
export function resolveProgram(command: string, search: ProgramSearch): string | null {
  if (command.includes('/')) return isExecutable(command) ? path.resolve(command) : null;

  for (const folder of searchFolders(search)) {
    const candidate = path.join(folder, command);
    if (isExecutable(candidate)) return candidate;
  }

  return null;
}

/** Folders searched, in order, for a message that lists where the hub looked. */
export function searchFolders(search: ProgramSearch): string[] {
  const folders = search.pathVariable.split(path.delimiter).filter((folder) => folder.length > 0);

  return search.pythonEnvDir ? [path.join(search.pythonEnvDir, 'bin'), ...folders] : folders;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);

    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

import fs from 'node:fs';
import path from 'node:path';

import { type Logger } from '../core/logger';
import { trayTitleItems, type TrayTitleItem } from './trayHardware';

/** Name of the file in the data folder that keeps the tray's "Show in Menu Bar" choice across launches. */
export const trayTitleFileName = 'tray.json';

/** Returns the path of `tray.json` in the data folder. */
export function trayTitleFilePath(dataDir: string): string {
  return path.join(dataDir, trayTitleFileName);
}

/**
 * Reads the saved title items from `file`, in title order. Returns null when
 * the file is missing, or when it is unreadable or malformed, which is logged
 * so that the caller falls back to its default.
 */
export function readSavedTrayTitleItems(file: string, log: Logger): TrayTitleItem[] | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.error(`readSavedTrayTitleItems(): failed to read file=${file}, so the default title applies`, error);
    return null;
  }

  try {
    return parseTrayTitleFile(text);
  } catch (error) {
    log.warn(`readSavedTrayTitleItems(): ignoring malformed file=${file}: ${error instanceof Error ? error.message : String(error)} Choose the title items again in the tray menu to rewrite it.`);
    return null;
  }
}

/** Writes the title items to `file` through a temporary file and a rename, so a crash during the write leaves the old file whole. Failures are logged. */
export function saveTrayTitleItems(file: string, items: readonly TrayTitleItem[], log: Logger): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, `${JSON.stringify({ titleItems: items }, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    log.error(`saveTrayTitleItems(): failed to write file=${file}, so the choice lasts only until the app quits`, error);
  }
}

/** Parses `{"titleItems": ["runs", "power"]}`; throws an error naming the invalid value. */
export function parseTrayTitleFile(text: string): TrayTitleItem[] {
  const parsed: unknown = JSON.parse(text);
  const items = (parsed as { titleItems?: unknown } | null)?.titleItems;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(items)) throw new Error('Expected an object with a titleItems array.');

  const unknown = items.find((item) => typeof item !== 'string' || !(trayTitleItems as readonly string[]).includes(item));
  if (unknown !== undefined) throw new Error(`Invalid tray title item ${JSON.stringify(unknown)}: use ${trayTitleItems.join(', ')}.`);

  return trayTitleItems.filter((item) => items.includes(item));
}

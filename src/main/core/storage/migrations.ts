import { leasesMigrations } from '../arbiter/leaseStore';
import { hardwareMigrations } from '../hardware/migrations';
import { projectsMigrations } from '../projects/migrations';
import { trackingMigrations } from '../tracking/migrations';
import { type Migration } from './database';

/**
 * Every schema step of the hub, in order. Each domain owns its own list
 * (`tracking/…`, `projects/…`); a step that has shipped is never edited, only followed.
 */
export const allMigrations: readonly Migration[] = [...projectsMigrations, ...trackingMigrations, ...hardwareMigrations, ...leasesMigrations];

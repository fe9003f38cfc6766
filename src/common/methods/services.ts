import { z } from 'zod';

import { defineMethod } from '../contract';

export const servicesMethods = {} as const;

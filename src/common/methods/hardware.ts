import { z } from 'zod';

import { defineMethod } from '../contract';

export const hardwareMethods = {} as const;

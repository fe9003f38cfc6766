import { z } from 'zod';

import { defineMethod } from '../contract';

export const projectsMethods = {} as const;

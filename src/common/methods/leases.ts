import { z } from 'zod';

import { defineMethod } from '../contract';

export const leasesMethods = {} as const;

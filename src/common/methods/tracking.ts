import { z } from 'zod';

import { defineMethod } from '../contract';

export const trackingMethods = {} as const;

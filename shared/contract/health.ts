import { Type } from 'typebox';

/** GET /healthz: the process answers. */
export const Health = Type.Object({ status: Type.Literal('ok') });

const Check = Type.Object({ ok: Type.Boolean(), message: Type.Optional(Type.String()) });

/** GET /readyz: each dependency's check; 503 while any fails. */
export const Readiness = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Check) });

import { Type, type TSchema } from 'typebox';
import { authErrors } from '../../../shared/contract/errors.js';

/** Route options for a signed-in change (delete, revoke) that answers 204 with no body. */
export const noContentRoute = <P extends TSchema>(params: P) => ({
  schema: { params, response: { 204: Type.Null(), ...authErrors } },
});

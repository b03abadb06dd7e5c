import t from 'tap';
import { weakPasswordReason } from '../../../server/services/passwords.js';
import { PASSWORD, bearer, buildTestApp, setupAdmin } from '../../helpers/app.js';

t.test('common, blank and one-character passwords are named as such', async (t) => {
  for (const weak of ['password123', 'Password123', 'QWERTYUIOP', '12345678', 'iloveyou'])
    t.match(weakPasswordReason(weak), /most common/, weak);
  t.match(weakPasswordReason(' '.repeat(8)), /only spaces/);
  t.match(weakPasswordReason('\t \t \t \t'), /only spaces/);
  t.match(weakPasswordReason('aaaaaaaa'), /repeated/);
  t.equal(weakPasswordReason(PASSWORD), null);
  t.equal(weakPasswordReason('tulip-harbour-9'), null);
});

t.test('setup, user creation and a reset refuse a weak password with a clear message', async (t) => {
  const app = await buildTestApp(t);
  const setup = await app.inject({
    method: 'POST',
    url: '/api/auth/setup',
    payload: { username: 'admin', password: 'password1' },
  });
  t.equal(setup.statusCode, 400);
  t.match(setup.json().error, { code: 'bad_request', message: /most common/ });
  const token = await setupAdmin(app);
  const spaces = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: bearer(token),
    payload: { username: 'bob', password: ' '.repeat(8), role: 'user' },
  });
  t.equal(spaces.statusCode, 400);
  t.match(spaces.json().error.message, /only spaces/);
  const me = (await app.inject({ url: '/api/auth/me', headers: bearer(token) })).json().user.id;
  const reset = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${me}`,
    headers: bearer(token),
    payload: { password: 'qwerty123' },
  });
  t.equal(reset.statusCode, 400);
  t.match(reset.json().error.message, /most common/);
});

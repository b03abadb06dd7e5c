import argon2 from 'argon2';
import { COMMON_PASSWORDS } from './common-passwords.js';

// OWASP's argon2id baseline (19 MiB, 2 passes): strong, yet a login costs ~30 ms on a small CPU
// box that is busy running a model.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so unknown usernames cannot be told apart by timing. */
export async function verifyNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(await dummyHash, password);
  return false;
}

/**
 * Why a password is too easy to guess, or null when it is acceptable: one of the most
 * common passwords, only spaces, or one character repeated ("aaaaaaaa").
 */
export function weakPasswordReason(password: string): string | null {
  if (password.trim() === '') return 'The password cannot be only spaces. Choose a longer phrase.';
  if (new Set(password).size === 1) return 'The password cannot be one character repeated. Choose a longer phrase.';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return 'This password is one of the most common ones and would be guessed quickly. Choose another (a few unrelated words work well).';
  }
  return null;
}

// src/github/seal.ts against libsodium itself: what it seals opens with the
// matching secret key, as GitHub opens it, and only with that key.

import sodium from 'libsodium-wrappers';
import { seal } from '../src/github/seal.ts';

test('a sealed value opens with the destination key pair and no other', async () => {
  await sodium.ready;
  const pair = sodium.crypto_box_keypair();
  const other = sodium.crypto_box_keypair();
  const sealed = await seal('pnb_value', Buffer.from(pair.publicKey).toString('base64'));
  const box = Buffer.from(sealed, 'base64');
  expect(sealed).toBe(box.toString('base64'));
  expect(sodium.to_string(sodium.crypto_box_seal_open(box, pair.publicKey, pair.privateKey))).toBe('pnb_value');
  expect(() => sodium.crypto_box_seal_open(box, other.publicKey, other.privateKey)).toThrow();
});

// src/github/seal.ts against libsodium itself: what it seals opens with the
// matching secret key, as GitHub opens it, and only with that key.

import sodium from 'libsodium-wrappers';
import { seal, sealingKey } from '../src/github/seal.ts';

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

test('the key is read one way for pre-flight and the write: 32 bytes of standard, padded base64, as libsodium reads it', async () => {
  await sodium.ready;
  const { publicKey } = sodium.crypto_box_keypair();
  const standard = Buffer.from(publicKey).toString('base64');
  await expect(sealingKey(standard)).resolves.toEqual(publicKey);
  // Each of these Buffer.from(…, 'base64') reads as the same 32 bytes; libsodium does not.
  for (const lenient of [
    Buffer.from(publicKey).toString('base64url'),
    standard.replace(/=+$/, ''),
    `${standard.slice(0, 20)}\n${standard.slice(20)}`,
    `${standard} `,
  ]) {
    expect(Buffer.from(lenient, 'base64')).toEqual(Buffer.from(publicKey));
    await expect(sealingKey(lenient)).resolves.toBeUndefined();
    await expect(seal('pnb_value', lenient)).rejects.toThrow('the public key is not 32 bytes of base64');
  }
  await expect(sealingKey(Buffer.alloc(31).toString('base64'))).resolves.toBeUndefined();
  await expect(sealingKey(Buffer.alloc(33).toString('base64'))).resolves.toBeUndefined();
});

// GitHub's secret encryption: a libsodium sealed box against the
// destination's public key. The key is read here, one way, both by pre-flight
// and by the write: a key that Node's Buffer decodes leniently (base64url, no
// padding, a line break) but libsodium refuses would otherwise pass pre-flight
// and fail every write after an irreversible rotation.

import sodium from 'libsodium-wrappers';

/** A sealed box's public key is this many bytes (crypto_box_PUBLICKEYBYTES). */
const PUBLIC_KEY_BYTES = 32;

/** The public key as the sealing uses it; undefined when it is not 32 bytes of standard, padded base64. */
export async function sealingKey(publicKeyBase64: string): Promise<Uint8Array | undefined> {
  await sodium.ready;
  let key: Uint8Array;
  try {
    key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
  } catch {
    return undefined;
  }
  return key.length === PUBLIC_KEY_BYTES ? key : undefined;
}

export async function seal(value: string, publicKeyBase64: string): Promise<string> {
  const publicKey = await sealingKey(publicKeyBase64);
  if (!publicKey) throw new Error('the public key is not 32 bytes of base64');
  const box = sodium.crypto_box_seal(sodium.from_string(value), publicKey);
  return sodium.to_base64(box, sodium.base64_variants.ORIGINAL);
}

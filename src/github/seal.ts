// GitHub's secret encryption: a libsodium sealed box against the
// destination's public key.

import sodium from 'libsodium-wrappers';

export async function seal(value: string, publicKeyBase64: string): Promise<string> {
  await sodium.ready;
  const publicKey = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
  const box = sodium.crypto_box_seal(sodium.from_string(value), publicKey);
  return sodium.to_base64(box, sodium.base64_variants.ORIGINAL);
}

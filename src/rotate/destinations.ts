// The GitHub secrets that receive the new key: read before anything changes
// (a token that cannot use them fails there), written all at once after.

import { seal } from '../github/seal.ts';
import { UnavailableError } from '../http/retry.ts';
import { reasonOf } from './plan.ts';
import {
  GithubError,
  orgSecretSettings,
  publicKey,
  putSecret,
  type Destination,
  type GithubApi,
  type OrgSecretSettings,
  type PublicKey,
} from '../github/secrets.ts';

interface Prepared {
  destination: Destination;
  key: PublicKey;
  org?: OrgSecretSettings;
}

export interface WriteFailure {
  destination: Destination;
  reason: string;
  /** No answer came after the request was sent (a reset, a timeout): the secret may hold the new key. */
  mayHaveLanded: boolean;
}

export interface WriteResults {
  written: Destination[];
  failed: WriteFailure[];
}

export class SecretDestinations {
  readonly destinations: Destination[];
  private readonly api: GithubApi;
  private readonly secretName: string;
  private prepared: Prepared[] = [];

  constructor(api: GithubApi, destinations: Destination[], secretName: string) {
    this.api = api;
    this.destinations = destinations;
    this.secretName = secretName;
  }

  private async prepare(destination: Destination): Promise<Prepared> {
    const [key, org] = await Promise.all([
      publicKey(this.api, destination),
      destination.kind === 'org' ? orgSecretSettings(this.api, destination.org, this.secretName) : undefined,
    ]);
    return { destination, key, org };
  }

  /** Every destination's public key (and an organization secret's visibility), concurrently. */
  async preflight(): Promise<void> {
    this.prepared = await Promise.all(this.destinations.map((destination) => this.prepare(destination)));
  }

  private async writeOne(prepared: Prepared, name: string, value: string): Promise<void> {
    const put = async (key: PublicKey) =>
      putSecret(this.api, { destination: prepared.destination, name, encryptedValue: await seal(value, key.key), keyId: key.keyId, org: prepared.org });
    try {
      await put(prepared.key);
    } catch (error) {
      // 422: the destination's public key changed since pre-flight; seal again once.
      if (!(error instanceof GithubError && error.status === 422)) throw error;
      await put(await publicKey(this.api, prepared.destination));
    }
  }

  async write(name: string, value: string): Promise<WriteResults> {
    const settled = await Promise.allSettled(this.prepared.map((prepared) => this.writeOne(prepared, name, value)));
    const results: WriteResults = { written: [], failed: [] };
    settled.forEach((result, index) => {
      const { destination } = this.prepared[index] as Prepared;
      if (result.status === 'fulfilled') results.written.push(destination);
      else {
        const error: unknown = result.reason;
        results.failed.push({
          destination,
          reason: reasonOf(error),
          mayHaveLanded: error instanceof UnavailableError && error.lastStatus === undefined,
        });
      }
    });
    return results;
  }
}

// The GitHub secrets that receive the new key: read before anything changes
// (a token that cannot use them fails there), then written. Both one request
// at a time, as GitHub asks of a token's requests.

import type { Deadline } from '../clock/deadline.ts';
import { DEFAULT_TIMINGS } from '../clock/timings.ts';
import type { Octokit } from '../github/octokit.ts';
import { seal } from '../github/seal.ts';
import {
  GithubError,
  orgSecretSettings,
  publicKey,
  putSecret,
  secretUpdatedAt,
  type Destination,
  type OrgSecretSettings,
  type PublicKey,
} from '../github/secrets.ts';
import { reasonOf } from './plan.ts';

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

/** The default of Timings.writeMsPerDestination: the writes' extension of the deadline, per destination. */
export const WRITE_MS_PER_DESTINATION = DEFAULT_TIMINGS.writeMsPerDestination;

/**
 * How much earlier than the rotation a secret's updated_at may read and still
 * count as written after it. GitHub gives updated_at in whole seconds (a write
 * in the same second as the key was made reads up to a second before it), and
 * it comes from GitHub's clock, the key's time from Prefect's: servers kept by
 * NTP agree to well within a second, so two more are allowed for skew.
 * Larger would not be safe for free: a write made that long before the
 * rotation would count as holding the new key. Only a rotation writes these
 * secrets, and only after its key exists, so such a write is another rotation
 * of the same service account finishing seconds before this one began, which
 * is not supported (retire finds the key replaced and says so); a rerun that
 * misjudged such a destination would skip a write it should make.
 */
export const WRITTEN_SINCE_TOLERANCE_MS = 3_000;

export class SecretDestinations {
  readonly destinations: Destination[];
  private readonly octokit: Octokit;
  private readonly deadline: Deadline;
  private readonly secretName: string;
  private readonly writeMsPerDestination: number;
  private prepared: Prepared[] = [];

  /** `deadline`: the one GitHub's client keeps to, which the writes extend. */
  constructor(octokit: Octokit, deadline: Deadline, destinations: Destination[], secretName: string, writeMsPerDestination = WRITE_MS_PER_DESTINATION) {
    this.octokit = octokit;
    this.deadline = deadline;
    this.destinations = destinations;
    this.secretName = secretName;
    this.writeMsPerDestination = writeMsPerDestination;
  }

  private async prepare(destination: Destination): Promise<Prepared> {
    const key = await publicKey(this.octokit, destination);
    const org = destination.kind === 'org' ? await orgSecretSettings(this.octokit, destination.org, this.secretName) : undefined;
    return { destination, key, org };
  }

  /** Every destination's public key (and an organization secret's visibility), one after another. */
  async preflight(): Promise<void> {
    this.prepared = [];
    for (const destination of this.destinations) this.prepared.push(await this.prepare(destination));
  }

  private async writeOne(prepared: Prepared, name: string, value: string): Promise<void> {
    const put = async (key: PublicKey) =>
      putSecret(this.octokit, { destination: prepared.destination, name, encryptedValue: await seal(value, key.key), keyId: key.keyId, org: prepared.org });
    try {
      await put(prepared.key);
    } catch (error) {
      // 422: the destination's public key changed since pre-flight; seal again once.
      if (!(error instanceof GithubError && error.status === 422)) throw error;
      await put(await publicKey(this.octokit, prepared.destination));
    }
  }

  /** How many destinations' secrets were written at or after `since` (epoch ms, Prefect's clock), of how many. */
  async writtenSince(since: number): Promise<{ written: number; of: number }> {
    let written = 0;
    for (const destination of this.destinations) {
      const at = await secretUpdatedAt(this.octokit, destination, this.secretName);
      if (at !== undefined && at >= since - WRITTEN_SINCE_TOLERANCE_MS) written += 1;
    }
    return { written, of: this.destinations.length };
  }

  /**
   * One destination after another (the throttling plugin spaces the writes); a failure does not stop the others.
   * `onWritten` hears of each secret as it is written, so that a job stopped mid-way can say which hold the new key.
   */
  async write(name: string, value: string, cancelled: () => boolean = () => false, onWritten?: (destination: Destination) => void): Promise<WriteResults> {
    this.deadline.extendTo(this.deadline.clock.now() + this.prepared.length * this.writeMsPerDestination);
    const results: WriteResults = { written: [], failed: [] };
    for (const prepared of this.prepared) {
      // A cancelled job finishes the write under way and starts no other.
      if (cancelled()) {
        results.failed.push({ destination: prepared.destination, reason: 'not written: the job was cancelled', mayHaveLanded: false });
        continue;
      }
      try {
        await this.writeOne(prepared, name, value);
      } catch (error) {
        results.failed.push({
          destination: prepared.destination,
          reason: reasonOf(error),
          mayHaveLanded: error instanceof GithubError && error.mayHaveLanded,
        });
        continue;
      }
      results.written.push(prepared.destination);
      onWritten?.(prepared.destination);
    }
    return results;
  }
}

// The error a promise is rejected with, for tests that assert on it whole
// (its class, message and fields); a promise that resolves fails the test.

export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

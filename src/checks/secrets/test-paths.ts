/**
 * Test code and fixtures are full of credentials that were never live. They
 * still count (a real key pasted into a fixture is as leaked as any other),
 * but one step lower, unless the repository says otherwise.
 *
 * Whole path segments only: `latest.py` and `attestation.py` are not tests.
 */
const TEST_DIRECTORY =
  /(?:^|\/)(?:test|tests|__tests__|spec|specs|fixtures|__fixtures__|testdata|test-data|__mocks__|mocks)\//i;
const TEST_FILE =
  /(?:^|\/)[^/]+\.(?:test|spec)\.[^/]+$|(?:^|\/)[^/]+_test\.(?:go|py|rb|exs?)$|(?:^|\/)test_[^/]+\.py$/i;

export function isTestPath(path: string): boolean {
  return TEST_DIRECTORY.test(path) || TEST_FILE.test(path);
}

/** Registers the fake secret kinds used by rule examples and tests (see fake-secrets.ts). */
export {};

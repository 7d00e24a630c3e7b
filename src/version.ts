/** Tollgate's version (a test keeps it equal to package.json's). */
export const TOLLGATE_VERSION = "0.1.0";

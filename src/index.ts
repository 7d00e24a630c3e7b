import { createTollgateApp } from "./app/app.js";

/** Probot entry: registers Tollgate's handlers (see src/app/app.ts), nothing else. */
export default createTollgateApp();

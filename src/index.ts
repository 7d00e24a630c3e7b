import { createTollgateApp } from "./app/app.js";
import { assertStartable } from "./server.js";

/**
 * Probot entry for `probot run dist/src/index.js` and serverless adapters:
 * registers Tollgate's handlers (see src/app/app.ts), nothing else. It refuses
 * to load without a webhook secret, as `npm start` does. `npm start`
 * (src/server.ts) is the supported way to run the app: it also gives each
 * installation its own throttling queue.
 */
assertStartable(process.env);
export default createTollgateApp();

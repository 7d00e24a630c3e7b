import type { ReviewServices } from "../../src/checks/types.js";

/**
 * Services for rule examples: offline stand-ins (e.g. a fixed advisory source),
 * so examples never touch the network.
 */
export function exampleServices(): ReviewServices {
  return {};
}

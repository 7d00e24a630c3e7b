/**
 * What the container families (k8s/, compose/) judge alike: dangerous Linux
 * capabilities, sensitive host paths and runtime sockets, image pinning and
 * literal secrets in an environment. No checks are declared here; the
 * families import these predicates so both answer the same for the same input.
 */
export { DANGEROUS_CAPABILITIES, dangerousCapability, normalizeCapability } from "./capabilities.js";
export { normalizeHostPath, runtimeSocketOf, sensitiveHostPath } from "./host-paths.js";
export { type ImagePinning, imageName, imagePinning } from "./images.js";
export { type LiteralSecret, literalSecret, secretDigest } from "./secrets.js";

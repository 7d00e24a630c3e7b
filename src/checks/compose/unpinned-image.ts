import { scalarText } from "../../formats/yaml.js";
import { imageName, imagePinning } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { finding, onServices } from "./common.js";
import { field, inherited, serviceAnchor } from "./model.js";

/** `image:` with `:latest` or no tag, for a service that pulls it rather than building it. */
export const unpinnedImage = defineCheck({
  kind: "snapshot",
  name: "compose/unpinned-image",
  families: ["compose"],
  rules: ["compose/unpinned-image"],
  run: onServices((input) => {
    const { service } = input;
    const image = field(service, "image");
    // With `build:`, `image:` names the image Compose builds and tags, not one it pulls.
    if (!image || field(service, "build")) return [];
    const text = scalarText(image.value);
    if (text === undefined) return [];
    const pin = imagePinning(text);
    if (pin.kind !== "latest" && pin.kind !== "untagged") return [];
    const name = imageName(pin.ref);
    const how = pin.kind === "latest" ? "the moving `latest` tag" : "no tag, which means `latest`";
    return [
      finding(input, {
        ruleId: "compose/unpinned-image",
        node: image.value,
        message: `Service \`${service.name}\` runs \`${text.trim()}\` with ${how}${inherited(service, image.from)}: each pull may bring different software, including a compromised push upstream.`,
        anchor: `${serviceAnchor(service)}/image/${name}`,
        fix: `Pin a version tag, ideally with its digest: \`image: ${name}:<version>@sha256:…\`.`,
      }),
    ];
  }),
});

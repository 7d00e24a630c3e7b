import { mapEntry, scalarText } from "../../formats/yaml.js";
import { imageName, imagePinning } from "../containers/index.js";
import { defineCheck } from "../define.js";
import { at, describeContainer, finding } from "./findings.js";
import { k8sModelOf } from "./model.js";

const RULE = "k8s/unpinned-image";

/**
 * A container image with the moving `latest` tag, or no tag at all (which
 * means `latest`): every node that pulls it may run different software.
 * References decided at deploy time (`$(IMAGE)`, `${TAG}`, templates) are left alone.
 */
export const unpinnedImage = defineCheck({
  kind: "snapshot",
  name: "k8s/unpinned-image",
  families: ["k8s"],
  rules: [RULE],
  run(file) {
    const { containers, src } = k8sModelOf(file);
    return containers.flatMap((c) => {
      const entry = mapEntry(c.pod.manifest.doc, c.node, "image");
      const written = scalarText(entry?.value);
      if (!entry || written === undefined) return [];
      const pin = imagePinning(written);
      if (pin.kind !== "latest" && pin.kind !== "untagged") return [];
      const name = imageName(pin.ref);
      const what =
        pin.kind === "latest" ? "uses the moving `latest` tag" : "has no tag, so it means `latest`";
      return [
        finding({
          ruleId: RULE,
          position: at(src, entry.value, c.at),
          message: `The image \`${written}\` of the ${describeContainer(c)} ${what}: each node pulls whatever was pushed last, and a rollback does not roll back; pin a version tag, ideally with its digest.`,
          anchor: `${c.id}|image:${name}:${pin.kind}`,
          fix: `Pin a version (and ideally a digest): \`image: ${name}:<version>@sha256:…\`.`,
        }),
      ];
    });
  },
});

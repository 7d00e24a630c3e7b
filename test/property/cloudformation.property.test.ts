// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation text uses ${…}
import fc from "fast-check";
import { describe, it } from "vitest";
import { readTemplate } from "../../src/checks/cfn/model.js";
import { parseCfnSource } from "../../src/formats/cloudformation.js";
import { ParseError } from "../../src/formats/errors.js";
import { expectLinear, HOSTILE, onlyDeclaredErrors, PROPERTY_RUNS, tokenSoup } from "./support.js";

const FRAGMENTS = [
  ...HOSTILE,
  "Resources:\n",
  "  X:\n",
  "    Type: AWS::S3::Bucket\n",
  "    Properties:\n",
  "Parameters:\n  P: {Type: String, Default: x}\n",
  "Mappings:\n  M: {a: {b: c}}\n",
  "!Ref ",
  "!Sub ",
  "!GetAtt ",
  "!If ",
  "!Join ",
  "!Select ",
  "!FindInMap ",
  "!Condition ",
  "!Transform ",
  "${",
  "}",
  "[",
  "]",
  "{",
  '"Fn::Sub": ',
  '{"Ref": "P"}',
  "&a ",
  "*a",
  "- ",
  ": ",
];

/** The whole read: parse, then evaluate every resource (what the checks run on). */
function read(text: string): void {
  const template = readTemplate(parseCfnSource(text));
  for (const r of template.resources) template.position([...r.path, "Properties"]);
}

describe("CloudFormation reader (property)", () => {
  it("throws nothing but ParseError on any text", () => {
    fc.assert(
      fc.property(tokenSoup(FRAGMENTS, 80), (text) => onlyDeclaredErrors(() => read(text), ParseError)),
      PROPERTY_RUNS,
    );
  });

  it("reads in linear time", () => {
    const resource = (i: number) =>
      `  R${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub "sg-\${P}-${i}"\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref P}\n`;
    expectLinear(
      {
        resources: (n) =>
          `Parameters:\n  P: {Type: String, Default: 0.0.0.0/0}\nResources:\n${Array.from({ length: Math.ceil(n / 10) }, (_, i) => resource(i)).join("")}`,
        "intrinsic list": (n) =>
          `Resources:\n  X:\n    Type: T\n    Properties:\n      B: [${Array.from({ length: n }, () => "!Ref P").join(", ")}]\n`,
        "long sub": (n) =>
          `Resources:\n  X:\n    Type: T\n    Properties:\n      A: !Sub "${"${P}-".repeat(n)}"\n`,
        json: (n) =>
          JSON.stringify({
            Resources: Object.fromEntries(
              Array.from({ length: n }, (_, i) => [
                `R${i}`,
                { Type: "AWS::S3::Bucket", Properties: { AccessControl: { Ref: "P" } } },
              ]),
            ),
          }),
      },
      read,
      50,
    );
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation text uses ${…}
import { describe, expect, it } from "vitest";
import { readTemplate } from "../../../src/checks/cfn/model.js";
import { isUnknown } from "../../../src/checks/cloud/index.js";
import { parseCfnSource } from "../../../src/formats/cloudformation.js";

const template = (text: string) => readTemplate(parseCfnSource(text));

describe("cfn model: static evaluation", () => {
  const t = template(`Transform: AWS::Serverless-2016-10-31
Parameters:
  Public: { Type: String, Default: "true" }
  Cidrs: { Type: CommaDelimitedList, Default: "10.0.0.0/8, 0.0.0.0/0" }
  NoDefault: { Type: String }
  Secret: { Type: String, NoEcho: true }
Mappings:
  Ports: { ssh: { port: 22 } }
Resources:
  R:
    Type: AWS::Test::Thing
    Properties:
      RefDefault: !Ref Public
      RefList: !Ref Cidrs
      RefNone: !Ref NoDefault
      RefResource: !Ref Other
      Pseudo: !Ref AWS::Region
      Gone: !Ref AWS::NoValue
      SubKnown: !Sub "x-\${Public}-\${!Literal}"
      SubVars: !Sub ["\${a}/\${b}", { a: 1, b: !Ref Public }]
      SubUnknown: !Sub "arn:aws:s3:::\${Bucket}"
      Join: !Join ["-", [a, !Ref Public]]
      JoinUnknown: !Join ["-", [a, !GetAtt X.Y]]
      Select: !Select [1, [a, b, c]]
      Map: !FindInMap [Ports, ssh, port]
      MapUnknown: !FindInMap [Ports, !Ref AWS::Region, port]
      If: !If [C, a, b]
      List: [a, !Ref AWS::NoValue, b]
  Other:
    Type: AWS::Test::Thing
`);
  const p = t.resources[0]!.properties;

  it("reads parameters, resources and SAM", () => {
    expect(t.sam).toBe(true);
    expect([...t.parameters.keys()]).toEqual(["Public", "Cidrs", "NoDefault", "Secret"]);
    expect(t.parameters.get("Secret")?.noEcho).toBe(true);
    expect(t.resources.map((r) => [r.logicalId, r.type])).toEqual([
      ["R", "AWS::Test::Thing"],
      ["Other", "AWS::Test::Thing"],
    ]);
    expect(t.resources[1]!.properties).toEqual({});
  });

  it("evaluates Ref to a default, Sub, Join, Select and FindInMap when known", () => {
    expect(p.RefDefault).toBe("true");
    expect(p.RefList).toEqual(["10.0.0.0/8", "0.0.0.0/0"]);
    expect(p.SubKnown).toBe("x-true-${Literal}");
    expect(p.SubVars).toBe("1/true");
    expect(p.Join).toBe("a-true");
    expect(p.Select).toBe("b");
    expect(p.Map).toBe(22);
    expect(p.List).toEqual(["a", "b"]);
    expect("Gone" in p).toBe(false);
  });

  it("leaves everything else unknown", () => {
    for (const key of ["RefNone", "RefResource", "Pseudo", "SubUnknown", "JoinUnknown", "MapUnknown", "If"])
      expect(isUnknown(p[key]), key).toBe(true);
  });

  it("positions: a property's key, and the logical id", () => {
    expect(t.position(["Resources", "R", "Properties", "Select"])).toEqual({ line: 24, column: 7 });
    expect(t.position(["Resources", "Other"])).toEqual({ line: 29, column: 3 });
  });
});

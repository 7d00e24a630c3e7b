// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation text uses ${…}
import { describe, expect, it } from "vitest";
import { parseCfnSource, UNREAD } from "../../src/formats/cloudformation.js";
import { ParseError } from "../../src/formats/errors.js";

/** The shape these templates have: one resource `X`. */
type OneResource = { Resources: { X: { Properties: unknown } } };

describe("parseCfnSource", () => {
  it("parses every short-form tag as its long form, on scalars, sequences and mappings", () => {
    const src = parseCfnSource(`Resources:
  X:
    Type: AWS::S3::Bucket
    Properties:
      A: !Ref P
      B: !Sub "arn:\${AWS::Partition}:s3:::\${B}"
      C: !Sub [ "\${x}", { x: !Ref P } ]
      D: !GetAtt Role.Arn
      E: !GetAtt [Role, Arn]
      F: !If [Cond, !Base64 a, !Ref AWS::NoValue]
      G: !Join ["", [!Select [0, !Split [",", !ImportValue v]], !FindInMap [M, !Ref "AWS::Region", k]]]
      H: !Cidr [!GetAZs "", 6, 5]
      I: !And [!Equals [a, b], !Or [!Not [!Condition C], !Condition D]]
      J: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }
`);
    const p = (src.root as OneResource).Resources.X.Properties;
    expect(p).toEqual({
      A: { Ref: "P" },
      B: { "Fn::Sub": "arn:${AWS::Partition}:s3:::${B}" },
      C: { "Fn::Sub": ["${x}", { x: { Ref: "P" } }] },
      D: { "Fn::GetAtt": ["Role", "Arn"] },
      E: { "Fn::GetAtt": ["Role", "Arn"] },
      F: { "Fn::If": ["Cond", { "Fn::Base64": "a" }, { Ref: "AWS::NoValue" }] },
      G: {
        "Fn::Join": [
          "",
          [
            { "Fn::Select": [0, { "Fn::Split": [",", { "Fn::ImportValue": "v" }] }] },
            { "Fn::FindInMap": ["M", { Ref: "AWS::Region" }, "k"] },
          ],
        ],
      },
      H: { "Fn::Cidr": [{ "Fn::GetAZs": "" }, 6, 5] },
      I: {
        "Fn::And": [
          { "Fn::Equals": ["a", "b"] },
          { "Fn::Or": [{ "Fn::Not": [{ Condition: "C" }] }, { Condition: "D" }] },
        ],
      },
      J: { "Fn::Transform": { Name: "AWS::Include", Parameters: { Location: "s3://b/k" } } },
    });
    expect(src.format).toBe("yaml");
  });

  it("reads JSON templates the same way", () => {
    const src = parseCfnSource(`{
\t"Resources": {
\t\t"X": { "Type": "AWS::S3::Bucket", "Properties": { "A": { "Ref": "P" }, "B": { "Fn::Sub": "x" } } }
\t}
}`);
    expect(src.format).toBe("json");
    expect((src.root as OneResource).Resources.X.Properties).toEqual({
      A: { Ref: "P" },
      B: { "Fn::Sub": "x" },
    });
    expect(src.locate(["Resources", "X", "Properties", "B"])).toEqual({
      key: { line: 3, column: 74 },
      value: { line: 3, column: 79 },
    });
  });

  it("locates keys, sequence items and paths into tagged nodes", () => {
    const src = parseCfnSource(`Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action:
              - s3:GetObject
              - "*"
            Resource: !Sub "arn:aws:s3:::\${B}/*"
`);
    const at = (...path: Array<string | number>) =>
      src.locate(["Resources", "Policy", "Properties", "PolicyDocument", "Statement", ...path]);
    expect(at(0, "Action", 1)).toEqual({ value: { line: 10, column: 17 } });
    expect(at(0, "Effect").key).toEqual({ line: 7, column: 13 });
    expect(at(0, "Resource", "Fn::Sub").key).toEqual({ line: 11, column: 13 });
    // a path below what the nodes hold stops at the last node reached
    expect(at(0, "Missing", "Deeper").value.line).toBe(7);
  });

  it("reports syntax errors as ParseError with the line", () => {
    expect(() => parseCfnSource("Resources:\n  X: [\n")).toThrow(ParseError);
    try {
      parseCfnSource("Resources:\n  X:\n    Type: AWS::S3::Bucket\n   Bad: : :\n");
    } catch (e) {
      expect((e as ParseError).line).toBeGreaterThanOrEqual(3);
    }
  });

  it("bounds alias expansion", () => {
    let text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 9; i++)
      text += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(", ")}]\n`;
    const src = parseCfnSource(text);
    expect(JSON.stringify(src.root)).toContain(UNREAD);
  });

  it("cuts deep JSON nesting and sends text that is not strict JSON to the YAML reader", () => {
    const deep = parseCfnSource(`{"A": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(JSON.stringify(deep.root)).toContain(UNREAD);
    const loose = parseCfnSource("{ Resources: { X: { Type: AWS::S3::Bucket } } }");
    expect(loose.format).toBe("yaml");
    expect(() => parseCfnSource('{\n  "Resources": {\n    "X": \n}')).toThrow(ParseError);
  });

  it("an empty file is an empty template", () => {
    expect(parseCfnSource("").root).toBeNull();
    expect(parseCfnSource("# only a comment\n").root).toBeNull();
  });
});

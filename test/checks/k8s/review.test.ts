import { describe, expect, it } from "vitest";
import { ruleLines } from "../../support/review.js";
import { reviewK8s } from "./support.js";

/** The k8s family through the real engine: what a pull request's author sees. */

const BUILDER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: builder
  namespace: ci
spec:
  selector:
    matchLabels: {app: builder}
  template:
    metadata:
      labels: {app: builder}
    spec:
      hostNetwork: true
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      containers:
        - name: docker
          image: docker:27-cli
          securityContext:
            privileged: true
          volumeMounts:
            - {name: sock, mountPath: /var/run/docker.sock}
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: builder-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: builder
    namespace: ci
`;

function deployment(containers: string, name = "web"): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
${containers}`;
}

const APP = `        - name: app
          image: ghcr.io/acme/app:1.4.2
          securityContext:
            privileged: true
`;
const PROXY = `        - name: proxy
          image: envoyproxy/envoy:v1.31.0
`;

describe("k8s review", () => {
  it("reports each problem of an added multi-document manifest at its line", async () => {
    const review = await reviewK8s([{ path: "deploy/builder.yaml", head: BUILDER }]);
    expect(ruleLines(review)).toEqual([
      ["k8s/host-namespaces", 13],
      ["k8s/privileged-container", 21],
      ["k8s/docker-socket-mount", 27],
      ["k8s/cluster-admin-binding", 36],
    ]);
    const socket = review.findings.find((f) => f.ruleId === "k8s/docker-socket-mount")!;
    expect(socket.severity).toBe("critical");
    expect(socket.message).toContain("`/var/run/docker.sock`");
    expect(review.verdict.conclusion).toBe("failure");
  });

  it("finds manifests by content in any path, and nothing in files that are not manifests", async () => {
    const review = await reviewK8s([
      { path: "anything/here.yml", head: BUILDER },
      { path: "config/app.yaml", head: "server:\n  privileged: true\n  hostNetwork: true\n" },
    ]);
    expect(new Set(review.findings.map((f) => f.path))).toEqual(new Set(["anything/here.yml"]));
  });

  it("reordering the containers of an already-privileged Deployment is not new", async () => {
    const review = await reviewK8s([
      { path: "web.yaml", base: deployment(APP + PROXY), head: deployment(PROXY + APP) },
    ]);
    expect(review.findings).toEqual([]);
  });

  it("moving a document within its file and reformatting is not new", async () => {
    const [deploy, binding] = BUILDER.split("---\n");
    const reformatted = binding!.replace(
      "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin",
      'roleRef: {kind: ClusterRole, name: "cluster-admin", apiGroup: rbac.authorization.k8s.io}',
    );
    const review = await reviewK8s([
      { path: "builder.yaml", base: BUILDER, head: `${reformatted}---\n# the builder\n${deploy}` },
    ]);
    expect(review.findings).toEqual([]);
  });

  it("turning privileged on is new, at the key", async () => {
    const review = await reviewK8s([
      {
        path: "web.yaml",
        base: deployment(APP.replace("privileged: true", "privileged: false")),
        head: deployment(APP),
      },
    ]);
    expect(ruleLines(review)).toEqual([["k8s/privileged-container", 16]]);
  });

  it("reports missing settings only on the container the change adds, at its name", async () => {
    const review = await reviewK8s([
      {
        path: "web.yaml",
        base: deployment(PROXY),
        head: deployment(
          PROXY.replace("v1.31.0", "v1.31.1") +
            APP.replace("            privileged: true\n", "            readOnlyRootFilesystem: true\n"),
        ),
      },
    ]);
    expect(ruleLines(review)).toEqual([
      ["k8s/allow-privilege-escalation", 15],
      ["k8s/run-as-root", 15],
    ]);
    expect(review.findings.every((f) => f.severity === "low")).toBe(true);
  });

  it("one low finding for a new container without any securityContext", async () => {
    const review = await reviewK8s([{ path: "web.yaml", head: deployment(PROXY) }]);
    expect(ruleLines(review)).toEqual([["k8s/run-as-root", 13]]);
    expect(review.findings[0]!.message).toContain("no securityContext at all");
    expect(review.verdict.conclusion).toBe("success");
  });

  it("combines pod and container security contexts, the container winning", async () => {
    const pod = deployment(`        - name: app
          image: app:1.0
          securityContext:
            runAsUser: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
        - name: tool
          image: tool:1.0
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
`).replace(
      "    spec:\n      containers:",
      "    spec:\n      securityContext:\n        runAsUser: 0\n      containers:",
    );
    const review = await reviewK8s([{ path: "web.yaml", head: pod }]);
    // Only `tool` inherits the pod's uid 0; `app` overrides it. Reported at the pod's key.
    expect(ruleLines(review)).toEqual([["k8s/run-as-root", 13]]);
    expect(review.findings[0]!.message).toContain("container `tool`");
  });

  it("reads CronJobs, Lists, Argo Rollouts and ephemeral containers, and skips CRDs quietly", async () => {
    const head = `apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: CronJob
    metadata: {name: nightly}
    spec:
      schedule: "@daily"
      jobTemplate:
        spec:
          template:
            spec:
              securityContext: {runAsNonRoot: true}
              containers:
                - name: job
                  image: busybox:1.36
                  securityContext: {privileged: true}
  - apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: {name: canary}
    spec:
      selector: {matchLabels: {app: canary}}
      template:
        spec:
          securityContext: {runAsNonRoot: true}
          hostPID: true
          ephemeralContainers:
            - name: debug
              image: busybox:1.36
              securityContext: {capabilities: {add: [SYS_PTRACE]}, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  template:
    spec:
      containers: [{name: x, image: "x:latest", securityContext: {privileged: true}}]
`;
    const review = await reviewK8s([{ path: "all.yaml", head }]);
    expect(ruleLines(review)).toEqual([
      ["k8s/privileged-container", 17],
      ["k8s/host-namespaces", 26],
      ["k8s/dangerous-capabilities", 30],
    ]);
    expect(review.errors).toEqual([]);
  });

  it("a broken document is a parse error at its line, and the other documents are still reviewed", async () => {
    const head = `${deployment(APP)}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: [1, 2\n---\n${BUILDER.split("---\n")[1]}`;
    const review = await reviewK8s([{ path: "mixed.yaml", head }]);
    expect(ruleLines(review)).toEqual([
      ["k8s/run-as-root", 13],
      ["k8s/privileged-container", 16],
      // the unclosed flow sequence is found where the document ends
      ["meta/parse-error", 24],
      ["k8s/cluster-admin-binding", 32],
    ]);
  });

  it("a Helm chart's templates are one note per chart, never a parse error; its values are checked", async () => {
    const template =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  {{- include "x" . | nindent 2 }}\n';
    const review = await reviewK8s([
      { path: "charts/web/Chart.yaml", head: "apiVersion: v2\nname: web\nversion: 1.0.0\n" },
      { path: "charts/web/templates/deployment.yaml", head: template },
      { path: "charts/web/templates/service.yaml", head: template.replace("Deployment", "Service") },
      {
        path: "charts/web/values.yaml",
        head: "image:\n  repository: ghcr.io/acme/web\n  tag: latest\nsecurityContext:\n  privileged: true\nhostNetwork: false\n",
      },
    ]);
    expect(ruleLines(review)).toEqual([
      ["k8s/unpinned-image", 3],
      ["k8s/privileged-container", 5],
    ]);
    expect(review.findings.some((f) => f.ruleId === "meta/parse-error")).toBe(false);
    const helm = review.errors.filter((n) => n.message.startsWith("Helm chart"));
    expect(helm).toEqual([expect.objectContaining({ level: "info", path: "charts/web" })]);
  });

  it("Kustomize: image overrides, generator literals redacted, patches without missing-key noise", async () => {
    const review = await reviewK8s([
      {
        path: "overlays/prod/kustomization.yaml",
        head: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: deployment-patch.yaml
images:
  - name: web
    newTag: latest
  - name: api
    newTag: "2.1.0"
secretGenerator:
  - name: db
    literals:
      - password=Zp9wq-4TrV8x-Hm2Lk
      - username=app-user
`,
      },
      {
        path: "overlays/prod/deployment-patch.yaml",
        head: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          resources: {limits: {memory: 1Gi}}\n",
      },
    ]);
    expect(ruleLines(review)).toEqual([
      ["k8s/unpinned-image", 8],
      ["k8s/literal-secret-in-env", 14],
      ["k8s/literal-secret-in-env", 15],
    ]);
    const evidence = review.findings.map((f) => f.evidence ?? "").join(" ");
    expect(evidence).toContain("password=Zp9w…(18 chars)");
    expect(evidence).not.toContain("TrV8x");
  });

  it("a literal secret in env is redacted; a secretKeyRef is fine", async () => {
    const review = await reviewK8s([
      {
        path: "web.yaml",
        head: deployment(`        - name: web
          image: web:1.0
          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
          env:
            - name: STRIPE_API_KEY
              value: rk_live_51Hq8sYTqv3x9mLk2PzQw
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
`),
      },
    ]);
    expect(ruleLines(review)).toEqual([["k8s/literal-secret-in-env", 18]]);
    expect(JSON.stringify(review)).not.toContain("Tqv3x9mLk2");
  });
});

import { describe, expect, it } from "vitest";
import { evaluate } from "../../../functions/ecr-findings-check/evaluate.js";
import type { Finding } from "../../../functions/ecr-findings-check/findings.js";
import type { ImageCheck, ScanOutcome } from "../../../functions/ecr-findings-check/image-check.js";
import { DIGEST, failure, finding, image, NOW, params, scanned, success } from "./support.js";

/** The wording of evaluate's messages line by line, for each kind of failure and for passes. */

const FULL = (repository: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repository}@${DIGEST}`;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** An image known only by repository and tag: no digest, registry or region yet. */
const tagOnly = (scan: ScanOutcome, repository = "web"): ImageCheck => ({
  ref: { repository, tag: "v1" },
  origin: "UserParameters.image",
  scan,
});
const line = (text: string, prefix: string): string | undefined =>
  text.split("\n").find((l) => l.startsWith(prefix));

describe("scan line", () => {
  it.each([
    ["30 seconds before", ago(30_000), "completed 2025-06-15T11:59:30Z (just now)"],
    ["a minute before", ago(MINUTE), "completed 2025-06-15T11:59:00Z (1 minute ago)"],
    ["5 minutes before", ago(5 * MINUTE), "completed 2025-06-15T11:55:00Z (5 minutes ago)"],
    ["30 minutes before", ago(30 * MINUTE), "completed 2025-06-15T11:30:00Z (30 minutes ago)"],
    ["47 hours before", ago(47 * HOUR), "completed 2025-06-13T13:00:00Z (47 hours ago)"],
    ["48 hours before", ago(48 * HOUR), "completed 2025-06-13T12:00:00Z (2 days ago)"],
    ["in the future (clock skew)", ago(-5 * MINUTE), "completed 2025-06-15T12:05:00Z (just now)"],
  ])("says when a scan completed %s", (_, completedAt, expected) => {
    const summary = success(evaluate({ images: [image(scanned([], { completedAt }))] }, params(), NOW));
    expect(line(summary, "Scan:")).toBe(`Scan: basic (COMPLETE), ${expected}`);
  });

  it("leaves the time out when ECR gave none", () => {
    const summary = success(
      evaluate({ images: [image(scanned([], { completedAt: undefined }))] }, params(), NOW),
    );
    expect(line(summary, "Scan:")).toBe("Scan: basic (COMPLETE)");
  });
});

describe("exceptions", () => {
  it("groups the findings an exception matched, and names an expired one that matched only once", () => {
    const summary = success(
      evaluate(
        {
          images: [
            image(
              scanned([
                finding("CVE-1", "CRITICAL"),
                finding("CVE-1", "CRITICAL", { packages: [{ name: "libssl3" }] }),
                finding("CVE-2", "CRITICAL"),
                finding("CVE-3", "HIGH"),
              ]),
            ),
          ],
        },
        params({
          ignore: [
            { id: "CVE-1", reason: "not reachable" },
            { id: "CVE-2", package: "openssl", reason: "fixed upstream", expires: "2025-12-31" },
            { id: "CVE-3", reason: "old", expires: "2025-06-01" },
          ],
        }),
        NOW,
      ),
    );
    expect(summary.split("\n").slice(3)).toEqual([
      "Findings: 3 CRITICAL, 1 HIGH; counted: 1 HIGH",
      "Policy: fail on CRITICAL or above",
      "Not counted: 3 ignored by exceptions",
      "Ignored:",
      "- CVE-1, 2 findings: not reachable",
      "- CVE-2 (openssl): fixed upstream (until 2025-12-31)",
      "Expired exception: CVE-3 ended 2025-06-01 and no longer applies (1 finding counted again; it said: old)",
    ]);
  });
});

describe("missing data", () => {
  it("says an enhanced scan gave no exploit data for a finding, and counts it", () => {
    const message = failure(
      evaluate(
        {
          images: [
            image(scanned([finding("CVE-1", "CRITICAL", { source: "enhanced" })], { scanType: "enhanced" })),
          ],
        },
        params({ onlyExploitable: true }),
        NOW,
      ),
    );
    expect(line(message, "Exploit data")).toBe(
      "Exploit data unavailable for 1 finding (the scan gave no exploit data): they count",
    );
    expect(message.split("\n").at(-1)).toBe("- CRITICAL CVE-1 in openssl 3.0.1");
  });
});

describe("base image line", () => {
  const LAYER = "1".repeat(64);
  const baseImage = {
    ref: { repository: "base", tag: "22", digest: `sha256:${"8".repeat(64)}` },
    layers: new Set([LAYER, "3".repeat(64)]),
  };
  const enhanced = (id: string, sourceLayerHash?: string): Finding =>
    finding(id, "HIGH", { source: "enhanced", packages: [{ name: "zlib", sourceLayerHash }] });

  it.each([
    [
      "every finding with layer data",
      [enhanced("CVE-1", `sha256:${LAYER}`), enhanced("CVE-2", `sha256:${"2".repeat(64)}`)],
      "1 of 2 findings from it",
    ],
    [
      "an enhanced finding without a source layer",
      [enhanced("CVE-1")],
      "0 of 1 finding from it; 1 without layer data (no source layer) cannot be attributed and count",
    ],
    [
      "basic and enhanced findings without layer data",
      [enhanced("CVE-1"), finding("CVE-2", "HIGH"), enhanced("CVE-3", `SHA256:${LAYER.toUpperCase()}`)],
      "1 of 3 findings from it; 2 without layer data (basic scanning has none) cannot be attributed and count",
    ],
  ])("counts the findings from the base image: %s", (_, findings, expected) => {
    const summary = success(evaluate({ images: [image(scanned(findings))], baseImage }, params(), NOW));
    expect(line(summary, "Base image:")).toBe(
      `Base image: base@sha256:${"8".repeat(64)} (tag 22), 2 layers: ${expected}`,
    );
  });
});

describe("baseline", () => {
  const PROD = `sha256:${"9".repeat(64)}`;
  const baselineImage = (findings: Finding[]): ImageCheck => ({
    ref: { repository: "web", tag: "prod", digest: PROD },
    origin: "UserParameters.baseline",
    scan: scanned(findings),
  });
  const old = [
    finding("CVE-OLD-1", "MEDIUM"),
    finding("CVE-OLD-2", "CRITICAL", { score: 7 }),
    finding("CVE-OLD-3", "HIGH"),
    finding("CVE-OLD-4", "CRITICAL", { score: 9 }),
  ];
  const withBaseline = (findings: Finding[], extra: Record<string, unknown> = {}) =>
    evaluate(
      { images: [image(scanned(findings))], baseline: baselineImage(old) },
      params({ baseline: { lambdaFunction: "web" }, ...extra }),
      NOW,
    );

  it("counts new findings over the threshold by severity", () => {
    const message = failure(
      withBaseline([...old, finding("CVE-NEW-1", "HIGH"), finding("CVE-NEW-2", "CRITICAL")], {
        failOnSeverity: "HIGH",
      }),
    );
    expect(message.split("\n")[0]).toBe(
      "Critical findings detected: web@sha256:abcd00000000… has 1 new CRITICAL, 1 new HIGH (not in the baseline), 4 inherited (policy: fail on HIGH or above)",
    );
  });

  it("says which budgets new findings exceed", () => {
    const message = failure(
      withBaseline([...old, finding("CVE-NEW-1", "HIGH"), finding("CVE-NEW-2", "MEDIUM")], {
        maxFindings: { HIGH: 0, MEDIUM: 0 },
      }),
    );
    expect(message.split("\n")[0]).toBe(
      "Finding budget exceeded: web@sha256:abcd00000000… has 1 new HIGH (max 0), 1 new MEDIUM (max 0), 4 inherited",
    );
  });

  it("names every inherited budget exceeded, and lists the other inherited findings worst first", () => {
    const message = failure(withBaseline(old, { maxInherited: { CRITICAL: 1, MEDIUM: 0 } }));
    expect(message.split("\n")).toEqual([
      "Inherited finding budget exceeded: web@sha256:abcd00000000… has 2 inherited CRITICAL (max 1), 1 inherited MEDIUM (max 0)",
      `Image: ${FULL("web")} (tag v1), from UserParameters.image`,
      `Baseline: web@${PROD} (tag prod), from UserParameters.baseline`,
      "Scan: basic (COMPLETE), completed 2025-06-15T11:00:00Z (1 hour ago)",
      "Findings: 2 CRITICAL, 1 HIGH, 1 MEDIUM; new (not in the baseline): none; inherited: 2 CRITICAL, 1 HIGH, 1 MEDIUM",
      "Policy: fail on CRITICAL or above; new findings only; at most 1 inherited CRITICAL; at most 0 inherited MEDIUM",
      "Inherited (in the baseline too):",
      "- HIGH CVE-OLD-3 in openssl 3.0.1",
      "Offending findings, worst first:",
      "- CRITICAL CVE-OLD-4 in openssl 3.0.1, score 9 (inherited)",
      "- CRITICAL CVE-OLD-2 in openssl 3.0.1, score 7 (inherited)",
      "- MEDIUM CVE-OLD-1 in openssl 3.0.1 (inherited)",
    ]);
  });

  it("lists at most 10 inherited findings, saying how many more", () => {
    // Given last first: listed worst first, then by id.
    const inherited = (n: number) => Array.from({ length: n }, (_, i) => finding(`CVE-${9 + n - i}`, "LOW"));
    const listed = (n: number) => {
      const findings = inherited(n);
      const summary = success(
        evaluate(
          { images: [image(scanned(findings))], baseline: baselineImage(findings) },
          params({ baseline: { lambdaFunction: "web" } }),
          NOW,
        ),
      );
      const lines = summary.split("\n");
      return lines.slice(lines.indexOf("Inherited (in the baseline too, not held against this image):") + 1);
    };
    const ten = Array.from({ length: 10 }, (_, i) => `- LOW CVE-${10 + i} in openssl 3.0.1`);
    expect(listed(10)).toEqual(ten);
    expect(listed(12)).toEqual([...ten, "…and 2 more"]);
  });
});

describe("scan states, in full", () => {
  it("names the command for an image known by tag only, without registry or region", () => {
    const message = failure(evaluate({ images: [tagOnly({ kind: "no-scan" })] }, params(), NOW));
    expect(message.split("\n")).toEqual([
      "No scan found for web:v1: the image has never been scanned",
      "Image: web:v1, from UserParameters.image",
      "Turn on scan on push for the repository (aws ecr put-image-scanning-configuration --image-scanning-configuration scanOnPush=true) or enhanced scanning for the registry, or start a scan now:",
      "  aws ecr start-image-scan --repository-name web --image-id imageTag=v1",
    ]);
  });

  it("leaves --region out of the scanning rules command when the region is the function's", () => {
    const message = failure(
      evaluate({ images: [tagOnly({ kind: "not-covered", scanType: "BASIC" })] }, params(), NOW),
    );
    expect(message.split("\n").slice(3)).toEqual([
      "  aws ecr start-image-scan --repository-name web --image-id imageTag=v1",
      "or scan every push to the repository:",
      `  aws ecr put-registry-scanning-configuration --scan-type BASIC --rules '[{"scanFrequency":"SCAN_ON_PUSH","repositoryFilters":[{"filter":"web","filterType":"WILDCARD"}]}]'`,
      "(--rules replaces the registry's rules: keep the existing ones in the list)",
    ]);
  });

  it("explains enhanced scanning that will never scan the repository", () => {
    const message = failure(
      evaluate({ images: [image({ kind: "not-covered", scanType: "ENHANCED" })] }, params(), NOW),
    );
    expect(message.split("\n")).toEqual([
      'No scan will come for web@sha256:abcd00000000…: the registry uses enhanced scanning (Amazon Inspector) and no scanning rule\'s filter matches repository "web"',
      `Image: ${FULL("web")} (tag v1), from UserParameters.image`,
      "Failed at once instead of waiting: enhanced scanning cannot be started by hand. Add a filter for the repository to the registry's scanning rules, e.g.:",
      `  aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules '[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"web","filterType":"WILDCARD"}]}]' --region us-east-1`,
      "(--rules replaces the registry's rules: keep the existing ones in the list)",
    ]);
  });

  it.each([
    [
      {
        kind: "still-scanning",
        status: "IN_PROGRESS",
        waitedSeconds: 30,
        stoppedForDeadline: false,
        description: "queued",
      },
      [
        "Scan still IN_PROGRESS after 30s for web@sha256:abcd00000000…: queued",
        `Image: ${FULL("web")} (tag v1), from UserParameters.image`,
        "Raise waitForScanSeconds (now 60) or re-run the stage when the scan has finished.",
      ],
    ],
    [
      { kind: "not-found", what: "repository", detail: "no repository" },
      [
        "Repository not found: web@sha256:abcd00000000…: no repository",
        `Image: ${FULL("web")} (tag v1), from UserParameters.image`,
      ],
    ],
    [
      { kind: "not-found", what: "image", detail: "no such tag" },
      [
        "Image not found: web@sha256:abcd00000000…: no such tag",
        `Image: ${FULL("web")} (tag v1), from UserParameters.image`,
      ],
    ],
  ] satisfies Array<[ScanOutcome, string[]]>)("says exactly what failed: %o", (scan, expected) => {
    expect(failure(evaluate({ images: [image(scan)] }, params(), NOW)).split("\n")).toEqual(expected);
  });
});

describe("several images failing", () => {
  it("names each image's reason, worst first, and separates their sections with one blank line", () => {
    const message = failure(
      evaluate(
        {
          images: [
            image({ kind: "not-found", what: "image", detail: "no tag" }, "noimage"),
            image({ kind: "not-found", what: "repository", detail: "no repo" }, "norepo"),
            image({ kind: "no-scan" }, "never"),
            image({ kind: "not-covered", scanType: "BASIC" }, "bas"),
            image({ kind: "not-covered", scanType: "ENHANCED" }, "enh"),
            image(
              { kind: "still-scanning", status: "IN_PROGRESS", waitedSeconds: 30, stoppedForDeadline: false },
              "slow",
            ),
            image(scanned([], { completedAt: new Date("2025-06-01T12:00:00Z") }), "stale"),
            image(scanned([finding("M", "MEDIUM")]), "budget"),
            image(scanned([finding("H", "HIGH")]), "high"),
          ],
        },
        params({ failOnSeverity: "HIGH", maxFindings: { MEDIUM: 0 }, maxScanAgeDays: 7 }),
        NOW,
      ),
    );
    const sections = message.split("\n\n");
    expect(sections[0]).toBe(
      "9 of 9 images failed the ECR findings check: " +
        [
          "high@sha256:abcd00000000… (High findings detected)",
          "budget@sha256:abcd00000000… (finding budget exceeded)",
          "stale@sha256:abcd00000000… (scan too old)",
          "noimage@sha256:abcd00000000… (image not found)",
          "norepo@sha256:abcd00000000… (repository not found)",
          "never@sha256:abcd00000000… (no scan)",
          "bas@sha256:abcd00000000… (no scan will come)",
          "enh@sha256:abcd00000000… (no scan will come)",
          "slow@sha256:abcd00000000… (scan still IN_PROGRESS after 30s)",
        ].join(", "),
    );
    expect(sections.map((s) => s.split("\n")[0]).slice(1)).toEqual([
      "High findings detected: high@sha256:abcd00000000… has 1 HIGH (policy: fail on HIGH or above)",
      "Finding budget exceeded: budget@sha256:abcd00000000… has 1 MEDIUM (max 0)",
      "Scan too old: stale@sha256:abcd00000000… was last scanned 14.0 days ago (policy: at most 7 days)",
      "Image not found: noimage@sha256:abcd00000000…: no tag",
      "Repository not found: norepo@sha256:abcd00000000…: no repo",
      "No scan found for never@sha256:abcd00000000…: the image has never been scanned",
      'No scan will come for bas@sha256:abcd00000000…: the registry uses basic scanning, repository "bas" does not scan on push, and no scan was started',
      'No scan will come for enh@sha256:abcd00000000…: the registry uses enhanced scanning (Amazon Inspector) and no scanning rule\'s filter matches repository "enh"',
      "Scan still IN_PROGRESS after 30s for slow@sha256:abcd00000000…",
    ]);
    expect(sections.at(-1)?.split("\n")).toEqual([
      "Scan still IN_PROGRESS after 30s for slow@sha256:abcd00000000…",
      `Image: ${FULL("slow")} (tag v1), from UserParameters.image`,
      "Raise waitForScanSeconds (now 60) or re-run the stage when the scan has finished.",
    ]);
  });

  it("puts images by their worst offending severity, whatever the order and passing images between", () => {
    const message = failure(
      evaluate(
        {
          images: [
            image({ kind: "unusable", status: "FAILED" }, "broken"),
            image(scanned([]), "fine"),
            image(scanned([], { completedAt: undefined }), "undated"),
            image(scanned([finding("U", "UNDEFINED")]), "undefined"),
            image(scanned([finding("H", "HIGH")]), "high"),
            image(scanned([finding("C", "CRITICAL")]), "critical"),
          ],
        },
        params({ failOnSeverity: "UNDEFINED", maxScanAgeDays: 7 }),
        NOW,
      ),
    );
    expect(message.split("\n")[0]).toBe(
      "5 of 6 images failed the ECR findings check: " +
        [
          "critical@sha256:abcd00000000… (Critical findings detected)",
          "high@sha256:abcd00000000… (High findings detected)",
          "undefined@sha256:abcd00000000… (Undefined findings detected)",
          "undated@sha256:abcd00000000… (scan too old)",
          "broken@sha256:abcd00000000… (scan FAILED)",
        ].join(", "),
    );
  });

  it("says which inherited budget an image exceeds", () => {
    const old = [finding("CVE-OLD", "HIGH")];
    const message = failure(
      evaluate(
        {
          images: [image(scanned([]), "api"), image(scanned(old), "web")],
          baseline: {
            ref: { repository: "web", tag: "prod" },
            origin: "UserParameters.baseline",
            scan: scanned(old),
          },
        },
        params({ baseline: { lambdaFunction: "web" }, maxInherited: { HIGH: 0 } }),
        NOW,
      ),
    );
    expect(message.split("\n")[0]).toBe(
      "1 of 2 images failed the ECR findings check: web@sha256:abcd00000000… (inherited finding budget exceeded)",
    );
  });

  it("lists the passing images after a blank line, in the order given, and only those", () => {
    const message = failure(
      evaluate(
        {
          images: [
            image(scanned([]), "b-pass", 'container "b"'),
            image({ kind: "no-scan" }, "fail"),
            image(scanned([]), "a-pass", 'container "a"'),
          ],
        },
        params(),
        NOW,
      ),
    );
    expect(message.split("\n\n").at(-1)).toBe(
      [
        'Passed: b-pass@sha256:abcd00000000… from container "b"',
        'Passed: a-pass@sha256:abcd00000000… from container "a"',
      ].join("\n"),
    );
  });

  it("gives the room for findings to the images that have some", () => {
    const many = Array.from({ length: 300 }, (_, i) => finding(`CVE-2025-${1000 + i}`, "CRITICAL"));
    const message = failure(
      evaluate(
        { images: [image(scanned(many), "web"), image({ kind: "unusable", status: "FAILED" }, "worker")] },
        params(),
        NOW,
      ),
    );
    expect(message.length).toBeLessThanOrEqual(5000);
    // Under 100 characters of the 5000 go unused: one more finding line would not have fitted.
    expect(message.length).toBeGreaterThan(4900);
    const more = /\n…and (\d+) more\n/.exec(message);
    const listed = message.split("\n").filter((l) => l.startsWith("- CRITICAL")).length;
    expect(listed + Number(more?.[1])).toBe(300);
    expect(message.split("\n").at(-1)).toBe("Without findings the check fails closed.");
  });
});

describe("housekeeping", () => {
  it("names an expired exception once: as matching when it matched, as unused when it did not", () => {
    const message = failure(
      evaluate(
        { images: [image(scanned([finding("CVE-1", "CRITICAL")]))] },
        params({
          ignore: [
            { id: "CVE-1", reason: "waiting", expires: "2025-06-14" },
            { id: "CVE-9", reason: "old", expires: "2025-01-01" },
          ],
        }),
        NOW,
      ),
    );
    expect(message.split("\n").filter((l) => l.startsWith("Expired exception:"))).toEqual([
      "Expired exception: CVE-1 ended 2025-06-14 and no longer applies (1 finding counted again; it said: waiting)",
      "Expired exception: CVE-9 ended 2025-01-01 (it matches no finding; remove it)",
    ]);
  });
});

describe("several images passing", () => {
  it("summarises each image, what was ignored and what expired, and the housekeeping", () => {
    const summary = success(
      evaluate(
        {
          images: [
            image(
              scanned([
                finding("CVE-1", "CRITICAL"),
                finding("CVE-1", "CRITICAL", { packages: [] }),
                finding("CVE-3", "HIGH"),
              ]),
              "api",
            ),
            tagOnly(scanned([], { completedAt: undefined }), "worker"),
            image(scanned([finding("CVE-2", "LOW")]), "web"),
          ],
        },
        params({
          ignore: [
            { id: "CVE-1", reason: "not reachable" },
            { id: "CVE-2", reason: "expired", expires: "2025-06-01" },
            { id: "CVE-7", reason: "stale" },
          ],
        }),
        NOW,
      ),
    );
    expect(summary.split("\n")).toEqual([
      "Passed: 3 images with no findings over policy (fail on CRITICAL or above)",
      `- ${FULL("api")} (tag v1) from UserParameters.image, scanned 2025-06-15T11:00:00Z: 2 CRITICAL, 1 HIGH; 2 ignored`,
      "- worker:v1 from UserParameters.image: none",
      `- ${FULL("web")} (tag v1) from UserParameters.image, scanned 2025-06-15T11:00:00Z: 1 LOW`,
      "Ignored:",
      "- CVE-1, 2 findings: not reachable",
      "Expired exception: CVE-2 ended 2025-06-01 and no longer applies (1 finding counted again; it said: expired)",
      'Stale exception: CVE-7 matches no finding; remove it from "ignore"',
    ]);
  });

  it("adds nothing after the images when no exception applies", () => {
    const summary = success(
      evaluate({ images: [image(scanned([]), "api"), image(scanned([]), "web")] }, params(), NOW),
    );
    expect(summary.split("\n")).toEqual([
      "Passed: 2 images with no findings over policy (fail on CRITICAL or above)",
      `- ${FULL("api")} (tag v1) from UserParameters.image, scanned 2025-06-15T11:00:00Z: none`,
      `- ${FULL("web")} (tag v1) from UserParameters.image, scanned 2025-06-15T11:00:00Z: none`,
    ]);
  });
});

describe("figures and images for metrics and decision records", () => {
  it("counts the findings counted in every scanned image, and names each image by digest", () => {
    const verdict = evaluate(
      {
        images: [
          image(scanned([finding("A", "HIGH"), finding("B", "LOW"), finding("C", "LOW")]), "api"),
          image(scanned([finding("D", "MEDIUM"), finding("E", "HIGH")]), "web"),
          tagOnly({ kind: "no-scan" }, "worker"),
        ],
      },
      params({ ignore: [{ id: "E", reason: "r" }] }),
      NOW,
    );
    expect(verdict.pass).toBe(false);
    expect(verdict.figures).toEqual({ FindingsCounted: 4 });
    expect(verdict.images).toEqual([FULL("api"), FULL("web"), "worker:v1"]);
  });

  it("has no figures when no image was scanned", () => {
    const verdict = evaluate({ images: [image({ kind: "no-scan" })] }, params(), NOW);
    expect(verdict.figures).toEqual({});
    expect(verdict.images).toEqual([FULL("web")]);
  });

  it("reports the same on a pass", () => {
    const verdict = evaluate({ images: [image(scanned([finding("A", "HIGH")]))] }, params(), NOW);
    expect(verdict.pass).toBe(true);
    expect(verdict.figures).toEqual({ FindingsCounted: 1 });
    expect(verdict.images).toEqual([FULL("web")]);
  });
});

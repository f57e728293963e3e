/**
 * Which Falco runs and how it reads kernel events.
 *
 * Default image: falcosecurity/falco:0.44.1, the current release that the project's reference
 * material describes (chart 9.1.0 and falco-operator 0.4 ship it; ../shared/falco-rules holds the
 * rules it ships). The recorded outputs in ../shared/falco-outputs come from 0.42.1: tests must
 * not assume the reported Falco version equals the default tag. Bump deliberately, with the rules.
 */
import * as z from 'zod';
import { withRules } from './openapi/meta.ts';
import type { CheckedRule } from './openapi/meta.ts';

export const DEFAULT_FALCO_REPOSITORY = 'falcosecurity/falco';
export const DEFAULT_FALCO_TAG = '0.44.1';
export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export const DRIVER_KINDS = ['modern_ebpf', 'kmod', 'none'] as const;
export type DriverKind = (typeof DRIVER_KINDS)[number];

/** registry[:port]/path, lower case, without tag or digest. */
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Exactly one of tag and digest, and never `latest`: every node and verification run one image. */
function pinnedImageRules(field: string, why: string): Array<CheckedRule<{ tag?: string | undefined; digest?: string | undefined }>> {
  return [
    {
      rule: 'has(self.tag) != has(self.digest)',
      message: `${field} must set exactly one of tag and digest`,
      holds: (i) => (i.tag !== undefined) !== (i.digest !== undefined),
    },
    {
      rule: "!has(self.tag) || self.tag != 'latest'",
      message: `${field}.tag must not be latest: ${why}`,
      fieldPath: '.tag',
      holds: (i) => i.tag !== 'latest',
    },
  ];
}

export const imageSchema = withRules(
  z.object({
    repository: z
      .string()
      .min(1)
      .max(255)
      .regex(REPOSITORY)
      .default(DEFAULT_FALCO_REPOSITORY)
      .describe('Image repository, with an optional registry host, without tag or digest.'),
    tag: z
      .string()
      .max(128)
      .regex(TAG)
      .optional()
      .describe('Image tag: a pinned Falco release such as 0.44.1; never latest. Exactly one of tag and digest is set.'),
    digest: z
      .string()
      .max(71)
      .regex(DIGEST)
      .optional()
      .describe('Image digest (sha256:…), for an immutable reference. Exactly one of tag and digest is set.'),
    pullPolicy: z.enum(IMAGE_PULL_POLICIES).default('IfNotPresent').describe('When the kubelet pulls the image.'),
  }),
  pinnedImageRules('image', 'pin a Falco release so every node and every verification runs the same Falco'),
);
export type Image = z.infer<typeof imageSchema>;

/** The image reference Kubernetes pulls. */
export function imageReference(image: Image | LoaderImage): string {
  return image.digest !== undefined ? `${image.repository}@${image.digest}` : `${image.repository}:${image.tag ?? DEFAULT_FALCO_TAG}`;
}

/** An image by repository and exactly one of tag or digest (the driver loader's). */
export const loaderImageSchema = withRules(
  z.object({
    repository: z.string().min(1).max(255).regex(REPOSITORY).describe('Image repository, without tag or digest.'),
    tag: z.string().max(128).regex(TAG).optional().describe('Image tag; never latest.'),
    digest: z.string().max(71).regex(DIGEST).optional().describe('Image digest (sha256:…).'),
  }),
  pinnedImageRules('driver.loaderImage', 'pin the loader of the Falco release the monitor runs'),
);
export type LoaderImage = z.infer<typeof loaderImageSchema>;

export const driverSchema = withRules(
  z.object({
    kind: z
      .enum(DRIVER_KINDS)
      .default('modern_ebpf')
      .describe(
        'How Falco reads syscalls: modern_ebpf (CO-RE eBPF, no kernel headers), kmod (kernel module), or none (no syscall source; plugins only).',
      ),
    leastPrivileged: z
      .boolean()
      .default(false)
      .describe(
        'modern_ebpf only: run Falco with the capabilities BPF, PERFMON, SYS_RESOURCE and SYS_PTRACE instead of a privileged container.',
      ),
    loaderImage: loaderImageSchema
      .optional()
      .describe(
        'kmod only: the falco-driver-loader image that builds and inserts the kernel module. Defaults to <image.repository>-driver-loader at image.tag; required when image is pinned by digest, since a digest names one image and cannot name its loader.',
      ),
  }),
  [
    {
      rule: "!self.leastPrivileged || self.kind == 'modern_ebpf'",
      message: 'driver.leastPrivileged is only possible with driver.kind modern_ebpf',
      fieldPath: '.leastPrivileged',
      holds: (d) => !d.leastPrivileged || d.kind === 'modern_ebpf',
    },
    {
      rule: "!has(self.loaderImage) || self.kind == 'kmod'",
      message: 'driver.loaderImage is only used with driver.kind kmod',
      fieldPath: '.loaderImage',
      holds: (d) => d.loaderImage === undefined || d.kind === 'kmod',
    },
  ],
);
export type Driver = z.infer<typeof driverSchema>;

/**
 * The kmod driver loader paired with the Falco image: the explicit loaderImage, or the
 * `<repository>-driver-loader` image at Falco's own tag (as the Falco chart pairs them).
 * Undefined when Falco is pinned by digest and no loader is given (the CRD refuses that).
 */
export function driverLoaderImage(image: Image, driver: Driver): string | undefined {
  if (driver.loaderImage !== undefined) return imageReference(driver.loaderImage);
  if (image.digest !== undefined) return undefined;
  return `${image.repository}-driver-loader:${image.tag ?? DEFAULT_FALCO_TAG}`;
}

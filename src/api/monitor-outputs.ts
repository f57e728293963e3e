/**
 * Where Falco sends alerts. Maps onto falco.yaml's json_output, stdout_output, file_output,
 * http_output and program_output, which is why those keys are owned (see falco-config.ts).
 * JSON and stdout are on by default: Falconer's MCP tools read recent alerts from the pod logs.
 */
import * as z from 'zod';
import { configMapKeyRefSchema, secretKeyRefSchema } from './common.ts';
import { withRules } from './openapi/meta.ts';

const caSchema = withRules(
  z.object({
    configMapKeyRef: configMapKeyRefSchema.optional().describe('A ConfigMap key holding PEM CA certificates.'),
    secretKeyRef: secretKeyRefSchema.optional().describe('A Secret key holding PEM CA certificates.'),
  }),
  [
    {
      rule: 'has(self.configMapKeyRef) != has(self.secretKeyRef)',
      message: 'ca must set exactly one of configMapKeyRef and secretKeyRef',
      holds: (ca) => (ca.configMapKeyRef !== undefined) !== (ca.secretKeyRef !== undefined),
    },
  ],
);

const tlsSchema = withRules(
  z.object({
    insecureSkipVerify: z
      .boolean()
      .default(false)
      .describe("Do not verify the server's certificate (falco.yaml http_output.insecure). For tests only."),
    ca: caSchema.optional().describe("CA certificates that verify the server, mounted into the Falco pods."),
  }),
  [
    {
      rule: '!(self.insecureSkipVerify && has(self.ca))',
      message: 'tls.ca has no effect with tls.insecureSkipVerify; set one or the other',
      fieldPath: '.ca',
      holds: (t) => !(t.insecureSkipVerify && t.ca !== undefined),
    },
  ],
);

function scheme(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).protocol.replace(/:$/, '') : undefined;
}

const httpSchema = withRules(
  z.object({
    url: z.string().min(1).max(2048).describe('Webhook URL (http or https) that receives one POST per alert.'),
    userAgent: z.string().max(256).optional().describe('User-Agent header of the requests.'),
    tls: tlsSchema.optional().describe('TLS settings; only with an https URL.'),
  }),
  [
    {
      rule: "isURL(self.url) && url(self.url).getScheme() in ['http', 'https'] && url(self.url).getHostname() != ''",
      message: 'http.url must be an absolute http or https URL',
      fieldPath: '.url',
      holds: (h) => ['http', 'https'].includes(scheme(h.url) ?? '') && new URL(h.url).hostname !== '',
    },
    {
      rule: "!has(self.tls) || (isURL(self.url) && url(self.url).getScheme() == 'https')",
      message: 'http.tls is only allowed with an https URL',
      fieldPath: '.tls',
      holds: (h) => h.tls === undefined || scheme(h.url) === 'https',
    },
  ],
);

export const outputsSchema = withRules(
  z.object({
    json: z.boolean().default(true).describe('Write alerts as JSON objects (falco.yaml json_output).'),
    stdout: z.boolean().default(true).describe("Write alerts to the Falco container's stdout, where kubectl logs and Falconer's MCP tools read them."),
    file: z
      .object({
        path: z
          .string()
          .min(2)
          .max(1024)
          .regex(/^\/.*$/)
          .describe('Absolute path of the file inside the Falco container.'),
        keepAlive: z.boolean().default(false).describe('Keep the file open between alerts instead of reopening it.'),
      })
      .optional()
      .describe('Append alerts to a file (falco.yaml file_output).'),
    suggestedFields: z
      .boolean()
      .default(true)
      .describe(
        "Append the fields plugins suggest to every alert's output (falco.yaml append_output suggested_output), e.g. the container plugin's container and pod names; the default rules rely on it for their context.",
      ),
    http: httpSchema.optional().describe('POST alerts to an HTTP(S) webhook (falco.yaml http_output).'),
    program: z
      .object({
        command: z.string().min(1).max(4096).describe('Shell command that receives alerts on its standard input.'),
        keepAlive: z.boolean().default(false).describe('Keep the program running between alerts instead of starting it per alert.'),
      })
      .optional()
      .describe('Pipe alerts to a program run inside the Falco container (falco.yaml program_output).'),
  }),
  [
    {
      rule: 'self.stdout || has(self.file) || has(self.http) || has(self.program)',
      message: 'outputs must enable at least one of stdout, file, http and program',
      holds: (o) => o.stdout || o.file !== undefined || o.http !== undefined || o.program !== undefined,
    },
  ],
);
export type Outputs = z.infer<typeof outputsSchema>;

import { busyboxImage } from './busybox-image.js';

/**
 * A bring-your-own image that follows both container contracts, made from busybox-static (+ bash):
 * `train` writes /opt/ml/model/model.txt from its hyperparameters; `serve` listens on 8080 (or
 * SAGEMAKER_BIND_TO_PORT) with busybox `nc -ll -e`, one bash handler per connection, answering
 * GET /ping 200 and POST /invocations with `model=<model.txt> body=<request body> port=<port>
 * env=<MY_SETTING>` — proof that the model archive was extracted to /opt/ml/model.
 * SERVE_MODE=exit makes `serve` give up at once (exit 3), as a server whose model cannot load.
 */
const TRAIN = `#!/bin/sh
hp=$(cat /opt/ml/input/config/hyperparameters.json)
answer=$(echo "$hp" | sed -n 's/.*"answer": *"\\([^"]*\\)".*/\\1/p')
echo "train: answer $answer"
echo "$answer" > /opt/ml/model/model.txt
`;

const SERVE = `#!/bin/sh
port=\${SAGEMAKER_BIND_TO_PORT:-8080}
if [ "$SERVE_MODE" = exit ]; then echo "serve: cannot load the model" >&2; exit 3; fi
echo "serve: model $(cat /opt/ml/model/model.txt 2>/dev/null), listening on $port"
exec nc -ll -p "$port" -e /usr/bin/handler
`;

const HANDLER = `#!/bin/bash
read -r method path proto
len=0
while IFS= read -r line; do
  line=\${line%$'\\r'}
  [ -z "$line" ] && break
  case "\${line,,}" in content-length:*) len=\${line#*:}; len=\${len// /} ;; esac
done
body=''
[ "$len" -gt 0 ] && read -r -N "$len" body
status='200 OK'
type='text/plain'
case "$method $path" in
  "GET /ping") resp='{"status":"healthy"}'; type='application/json' ;;
  "POST /invocations") resp="model=$(cat /opt/ml/model/model.txt) body=$body port=\${SAGEMAKER_BIND_TO_PORT:-8080} env=$MY_SETTING" ;;
  *) status='404 Not Found'; resp='not found' ;;
esac
printf 'HTTP/1.1 %s\\r\\nContent-Type: %s\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n%s' "$status" "$type" "\${#resp}" "$resp"
`;

export interface ServingImageOptions {
  /** Give the image the label com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true. */
  readonly bindToPort?: boolean;
  /** Leave /usr/bin/serve out (an image that can only train). */
  readonly withoutServe?: boolean;
}

/** Builds (or finds, by content hash) the image; resolves to its local name. */
export function byoServingImage(options: ServingImageOptions = {}): Promise<string> {
  const files: Record<string, { content: string; mode: number }> = {
    '/usr/bin/train': { content: TRAIN, mode: 0o755 },
    '/usr/bin/handler': { content: HANDLER, mode: 0o755 },
  };
  if (!options.withoutServe) files['/usr/bin/serve'] = { content: SERVE, mode: 0o755 };
  return busyboxImage({
    repository: options.withoutServe ? 'clary-test/byo-train-only' : options.bindToPort ? 'clary-test/byo-server-bind' : 'clary-test/byo-server',
    files,
    changes: options.bindToPort ? ['LABEL com.amazonaws.sagemaker.capabilities.accept-bind-to-port=true'] : [],
  });
}

/** A model.tar.gz whose model.txt holds `answer` (what `train` would have written), as bytes. */
export async function byoModelArchive(answer: string): Promise<Buffer> {
  const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { c: tarCreate } = await import('tar');
  const dir = await mkdtemp(join(tmpdir(), 'clary-byo-model-'));
  try {
    await writeFile(join(dir, 'model.txt'), `${answer}\n`);
    await tarCreate({ gzip: true, cwd: dir, file: join(dir, 'model.tar.gz'), portable: true }, ['model.txt']);
    return await readFile(join(dir, 'model.tar.gz'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

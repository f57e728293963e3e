# The Falconer image: `falconer operator` (deploy/base) and `falconer mcp` (deploy/overlays/mcp-http).
#
#   docker build -t ghcr.io/falconer-dev/falconer:0.1.0 .
#
# ghcr.io/falconer-dev is a placeholder registry: push to yours and point the manifests at it
# (kustomize `images:`). Not built in this project's CI, whose machines have no container engine.

# ---- build: install every dependency and bundle the CLI with esbuild into dist/cli/.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the only install scripts belong to the `node` dev dependency (a Node.js
# binary for developers' machines; the image has Node.js 24 already) and esbuild (a check of the
# binary its platform package already holds).
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# ---- runtime: Node.js and the bundled CLI, which holds every dependency it uses: no
# node_modules, no npm, no sources.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
# Node's compile cache (the CLI keeps it under $XDG_CACHE_HOME/falconer) goes to /tmp, the one
# writable folder of the read-only root the Deployments run with.
ENV XDG_CACHE_HOME=/tmp/.cache
WORKDIR /opt/falconer
# package.json says the bundle's .js files are ES modules.
COPY --from=build /src/package.json ./
COPY --from=build /src/dist ./dist
# The CRDs and examples travel with the CLI, as in the npm package (`falconer dev` applies them).
COPY crds ./crds
COPY examples ./examples
# `falconer` on PATH: the launcher, which starts `validate` and `mcp` from a startup snapshot
# (src/cli/snapshot/README.md). The base image's package managers go (not needed at run time: less
# to patch, less to abuse).
RUN chmod 0755 dist/cli/main.js dist/cli/falconer \
 && ln -s /opt/falconer/dist/cli/falconer /usr/local/bin/falconer \
 && rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
# The snapshots, built now for this image's Node.js into a read-only folder the launcher looks in
# first: every start of the container runs from them, the first one too (a snapshot built on
# first use would go to /tmp, which starts empty in each container). No compile cache for this
# build: it would leave a folder of root's under /tmp/.cache in the image.
# test/cli/prebuilt-snapshots.test.ts runs this very line.
RUN NODE_DISABLE_COMPILE_CACHE=1 falconer snapshots build --into /opt/falconer/snapshots
ENV FALCONER_SNAPSHOT_DIR=/opt/falconer/snapshots
# The image's `node` user, by number so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
ENTRYPOINT ["falconer"]
CMD ["--help"]
